import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { DELETE as deleteAccount } from "../../app/api/v2/privacy/account/route";
import { GET as exportData } from "../../app/api/v2/privacy/export/route";
import { GET as getSettings, PUT as putSettings } from "../../app/api/v2/privacy/settings/route";
import { exportDocument } from "../../api/privacy";
import { signAccessToken } from "../../lib/auth/tokens";
import { EXPORT_TABLE_README } from "../../lib/privacy/export-readme";
import { seedDemo } from "../../lib/demo/seed";
import { findDemoUser } from "../../lib/users/demo";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "privacy-test-secret-of-sufficient-length";

describeEachDriver("privacy: settings, export and deletion", (ctx) => {
  let restore: () => void;
  let alice = "";
  let bob = "";
  const call = async (
    handler: (r: Request) => Promise<Response>,
    user: string,
    init: { method?: string; body?: unknown; contentType?: string } = {},
  ) => {
    const headers: Record<string, string> = { authorization: `Bearer ${await signAccessToken(user)}` };
    if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
    return handler(
      new Request("http://localhost/api/v2/privacy", {
        method: init.method ?? "GET",
        headers,
        body:
          init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
      }),
    );
  };

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    restore = serveRoutesFrom(ctx.db);
    await seedDemo(ctx.db, { users: 20, seed: 3 });
    alice = (await findDemoUser(ctx.db))!;
    bob = await createUser(ctx.db, { displayName: "Bob" });
    await ctx.db.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2), ($2, $1)", [alice, bob]);
    await ctx.db.query("INSERT INTO reports (reporter_id, target_id, reason) VALUES ($1, $2, 'spam')", [bob, alice]);
    await ctx.db.query(
      "INSERT INTO connector_accounts (user_id, service, tokens_encrypted, status) VALUES ($1, 'spotify', 'v1.k1.iv.secretciphertext', 'idle')",
      [alice],
    );
    await ctx.db.query("INSERT INTO feedback (user_id, target_user_id, action) VALUES ($1, $2, 'swipe_right')", [
      bob,
      alice,
    ]);
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  it("starts with every category on", async () => {
    const res = await call(getSettings, alice);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.settings).toEqual({
      favorites: true,
      connectors: true,
      interests: true,
      behaviour: true,
      location: true,
      discoverable: true,
      recommendations: true,
    });
  });

  it("switches a category off, recording an audit entry, an opt-out event and a propagation job", async () => {
    const res = await call(putSettings, alice, { method: "PUT", body: { favorites: false, discoverable: false } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.settings).toMatchObject({ favorites: false, discoverable: false, location: true });
    expect(body.updatedAt).not.toBeNull();
    const events = await ctx.db.query<{ target_id: string }>(
      "SELECT target_id FROM events WHERE user_id = $1 AND kind = 'signal_opt_out' ORDER BY target_id",
      [alice],
    );
    expect(events.map((e) => e.target_id)).toEqual(["discoverable", "favorites"]);
    const audit = await ctx.db.query("SELECT 1 FROM audit_log WHERE subject_id = $1 AND action = 'privacy.update'", [
      alice,
    ]);
    expect(audit).toHaveLength(1);
    const jobs = await ctx.db.query(
      "SELECT 1 FROM jobs WHERE kind = 'privacy-propagation' AND payload ->> 'userId' = $1",
      [alice],
    );
    expect(jobs).toHaveLength(1);
    const [profile] = await ctx.db.query<{ discoverable: boolean }>(
      "SELECT discoverable FROM profiles WHERE user_id = $1",
      [alice],
    );
    expect(profile.discoverable).toBe(false);
    // Bob's settings are untouched.
    expect((await (await call(getSettings, bob)).json()).settings.favorites).toBe(true);
  });

  it("rejects bad settings with a 4xx naming the problem, writing nothing", async () => {
    const before = await ctx.db.query("SELECT * FROM privacy_settings WHERE user_id = $1 ORDER BY category", [alice]);
    const cases: [unknown, number, RegExp][] = [
      [{ favorites: "no" }, 400, /favorites/],
      [{ favourites: false }, 400, /favourites|Unrecognized/],
      [{}, 400, /at least one category/],
      ["{not json", 400, /not valid JSON/],
    ];
    for (const [body, status, message] of cases) {
      const res = await call(putSettings, alice, { method: "PUT", body });
      expect(res.status).toBe(status);
      expect(JSON.stringify(await res.json())).toMatch(message);
    }
    const wrongType = await call(putSettings, alice, {
      method: "PUT",
      body: "favorites=false",
      contentType: "text/plain",
    });
    expect(wrongType.status).toBe(415);
    const unauthenticated = await putSettings(new Request("http://localhost/x", { method: "PUT", body: "{}" }));
    expect(unauthenticated.status).toBe(401);
    expect(await ctx.db.query("SELECT * FROM privacy_settings WHERE user_id = $1 ORDER BY category", [alice])).toEqual(
      before,
    );
  });

  it("exports everything about the person, without secrets or other people's rows about them", async () => {
    const res = await call(exportData, alice);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment/);
    const data = await res.json();
    expect(data.userId).toBe(alice);
    const favorites = await ctx.db.query("SELECT 1 FROM favorite_items WHERE user_id = $1", [alice]);
    expect(data.tables.favorite_items).toHaveLength(favorites.length);
    expect(data.tables.profiles[0].user_id).toBe(alice);
    expect(data.tables.privacy_settings.length).toBe(2);
    expect(data.tables.connector_accounts[0].tokens_encrypted).toBe("[redacted]");
    expect(JSON.stringify(data)).not.toContain("secretciphertext");
    // Alice's own block is hers; who blocked or reported her, and Bob's swipe, are not.
    expect(data.tables.blocks).toEqual([expect.objectContaining({ blocker_id: alice, blocked_id: bob })]);
    expect(data.tables.reports).toEqual([]);
    expect(data.tables.feedback).toEqual([]);
    expect(data.tables.audit_log.length).toBeGreaterThan(0);
  });

  it("exports favorites a person can read: each title id with its title, year, type and source, and a readme", async () => {
    const data = exportDocument.parse(await (await call(exportData, alice)).json());
    const expected = await ctx.db.query<{
      media_id: string;
      title: string;
      year: number | null;
      media_type: string;
      source: string;
    }>(
      `SELECT f.media_id, m.title, m.year, m.media_type, f.source
       FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id WHERE f.user_id = $1 ORDER BY 1, 5`,
      [alice],
    );
    expect(expected.length).toBeGreaterThan(0);
    const favorites = [...data.tables.favorite_items].sort(
      (a, b) => a.media_id.localeCompare(b.media_id) || a.source.localeCompare(b.source),
    );
    expect(
      favorites.map(({ media_id, title, year, media_type, source }) => ({ media_id, title, year, media_type, source })),
    ).toEqual(expected);
    // The title sits right beside its id, as a person reads it.
    const keys = Object.keys(data.tables.favorite_items[0]);
    expect(keys.slice(keys.indexOf("media_id"), keys.indexOf("media_id") + 4)).toEqual([
      "media_id",
      "title",
      "year",
      "media_type",
    ]);
    // Every section is explained in words written for it, not a generic line.
    for (const section of Object.keys(data.tables)) {
      expect({ section, described: EXPORT_TABLE_README[section] !== undefined }).toEqual({ section, described: true });
      expect(data.readme.tables[section]).toBe(EXPORT_TABLE_README[section]);
    }
    expect(data.readme.mediaIds).toMatch(/imdb:/);
  });

  it("refuses to delete without the confirmation", async () => {
    const res = await call(deleteAccount, alice, { method: "DELETE", body: { confirm: "yes" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe("confirm");
    expect(await ctx.db.query("SELECT 1 FROM auth.users WHERE id = $1", [alice])).toHaveLength(1);
  });

  it("deletes the person from every table, and leaves everyone else's data", async () => {
    const bobFavoritesBefore = await ctx.db.query("SELECT 1 FROM favorite_items WHERE user_id = $1", [bob]);
    const res = await call(deleteAccount, alice, { method: "DELETE", body: { confirm: "DELETE" } });
    expect(res.status).toBe(200);
    const tables = await ctx.db.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname IN ('public', 'auth') AND c.relkind = 'r'`,
    );
    const holding: string[] = [];
    for (const t of tables) {
      const [row] = await ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${t.schema}"."${t.name}" x WHERE strpos(x::text, $1) > 0`,
        [alice],
      );
      if (row.n > 0) holding.push(`${t.schema}.${t.name}`);
    }
    expect(holding).toEqual([]);
    expect(await ctx.db.query("SELECT 1 FROM auth.users WHERE id = $1", [bob])).toHaveLength(1);
    expect(await ctx.db.query("SELECT 1 FROM favorite_items WHERE user_id = $1", [bob])).toEqual(bobFavoritesBefore);
    const again = await call(deleteAccount, alice, { method: "DELETE", body: { confirm: "DELETE" } });
    expect(await again.json()).toEqual({ deleted: false });
  });
});
