import { SignJWT } from "jose";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import * as blocks from "../../app/api/v2/blocks/route";
import * as unblock from "../../app/api/v2/blocks/[userId]/route";
import * as candidates from "../../app/api/v2/discovery/candidates/route";
import * as feedback from "../../app/api/v2/discovery/feedback/route";
import * as status from "../../app/api/v2/discovery/favorites/status/route";
import * as why from "../../app/api/v2/discovery/why/[targetId]/route";
import * as favorites from "../../app/api/v2/favorites/route";
import * as removeFavorite from "../../app/api/v2/favorites/[mediaId]/route";
import * as importFile from "../../app/api/v2/favorites/import/[service]/route";
import * as manual from "../../app/api/v2/favorites/manual/route";
import * as search from "../../app/api/v2/media/search/route";
import * as account from "../../app/api/v2/privacy/account/route";
import * as exportData from "../../app/api/v2/privacy/export/route";
import * as settings from "../../app/api/v2/privacy/settings/route";
import { signAccessToken } from "../../lib/auth/tokens";
import type { Db } from "../../lib/db/types";
import { seedDemo } from "../../lib/demo/seed";
import { createUser } from "../../lib/users/create";
import { findDemoUser } from "../../lib/users/demo";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "hostile-input-test-secret-0123456789abc";
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface Endpoint {
  name: string;
  method: string;
  path: string;
  handler: Handler;
  params?: Record<string, string>;
  /** A JSON body field that carries free text or ids, for the hostile-value sweep. */
  field?: string;
}

const endpoints = (victim: string): Endpoint[] => [
  { name: "favorites list", method: "GET", path: "/api/v2/favorites?limit=10", handler: favorites.GET as Handler },
  {
    name: "manual favorite",
    method: "POST",
    path: "/api/v2/favorites/manual",
    handler: manual.POST as Handler,
    field: "title",
  },
  {
    name: "remove favorite",
    method: "DELETE",
    path: "/api/v2/favorites/x",
    handler: removeFavorite.DELETE as Handler,
    params: { mediaId: "imdb:tt0083658" },
  },
  {
    name: "import",
    method: "POST",
    path: "/api/v2/favorites/import/letterboxd",
    handler: importFile.POST as Handler,
    params: { service: "letterboxd" },
  },
  { name: "search", method: "GET", path: "/api/v2/media/search?q=blade", handler: search.GET as Handler },
  { name: "status", method: "GET", path: "/api/v2/discovery/favorites/status", handler: status.GET as Handler },
  {
    name: "candidates",
    method: "GET",
    path: "/api/v2/discovery/candidates?limit=5",
    handler: candidates.GET as Handler,
  },
  {
    name: "why",
    method: "GET",
    path: "/api/v2/discovery/why/x",
    handler: why.GET as Handler,
    params: { targetId: victim },
  },
  {
    name: "feedback",
    method: "POST",
    path: "/api/v2/discovery/feedback",
    handler: feedback.POST as Handler,
    field: "targetId",
  },
  { name: "block", method: "POST", path: "/api/v2/blocks", handler: blocks.POST as Handler, field: "userId" },
  {
    name: "unblock",
    method: "DELETE",
    path: "/api/v2/blocks/x",
    handler: unblock.DELETE as Handler,
    params: { userId: victim },
  },
  { name: "privacy settings", method: "GET", path: "/api/v2/privacy/settings", handler: settings.GET as Handler },
  {
    name: "privacy update",
    method: "PUT",
    path: "/api/v2/privacy/settings",
    handler: settings.PUT as Handler,
    field: "favorites",
  },
  { name: "export", method: "GET", path: "/api/v2/privacy/export", handler: exportData.GET as Handler },
  {
    name: "delete account",
    method: "DELETE",
    path: "/api/v2/privacy/account",
    handler: account.DELETE as Handler,
    field: "confirm",
  },
];

/** Row counts of every public table: nothing a rejected request does may change them. */
async function snapshot(db: Db): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1",
  );
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    out[name] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`))[0].n;
  }
  return out;
}

describeEachDriver("hostile input across every endpoint", (ctx) => {
  let restore: () => void;
  let attacker = "";
  let victim = "";
  const key = new TextEncoder().encode(SECRET);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

  const call = (
    e: Endpoint,
    init: { token?: string; body?: BodyInit; contentType?: string; headers?: Record<string, string> },
  ) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.contentType) headers["content-type"] = init.contentType;
    return e.handler(new Request(`http://localhost${e.path}`, { method: e.method, headers, body: init.body }), {
      params: Promise.resolve(e.params ?? {}),
    });
  };

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    restore = serveRoutesFrom(ctx.db);
    await seedDemo(ctx.db, { users: 20, seed: 4 });
    victim = (await findDemoUser(ctx.db))!;
    attacker = await createUser(ctx.db);
    await ctx.db.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [victim, attacker]);
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  it("answers 401 with a JSON error for missing, forged, expired and alg:none tokens, changing nothing", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: attacker, role: "authenticated", aud: "authenticated" };
    const tokens = {
      missing: undefined,
      forged: await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode("x".repeat(40))),
      expired: await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime(now - 60)
        .sign(key),
      none: `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims, exp: now + 3600 })}.`,
      victimSubNoSig: `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ ...claims, sub: victim, exp: now + 3600 })}.`,
    };
    const before = await snapshot(ctx.db);
    for (const e of endpoints(victim)) {
      for (const [kind, token] of Object.entries(tokens)) {
        const body =
          e.method === "GET" ? undefined : JSON.stringify({ confirm: "DELETE", title: "x", mediaType: "film" });
        const res = await call(e, { token, body, contentType: "application/json" });
        expect(res.status, `${e.name} with ${kind} token`).toBe(401);
        expect((await res.json()).error.code).toBe("unauthorized");
      }
    }
    expect(await snapshot(ctx.db)).toEqual(before);
  });

  it("rejects hostile values in bodies with a 4xx, never a 500, and writes nothing", async () => {
    const token = await signAccessToken(attacker);
    const hostile = [
      "'; DROP TABLE favorite_items; --",
      '" OR 1=1 --',
      "%_\\",
      "\u0000",
      "\ud800",
      "\u202eevil\u202c",
      "x".repeat(100_000),
      { $gt: "" },
      [victim],
      -1,
      1e308,
    ];
    const before = await snapshot(ctx.db);
    for (const e of endpoints(victim).filter((x) => x.field)) {
      for (const value of hostile) {
        const body = JSON.stringify({ [e.field!]: value, targetId: value, action: "connect", confirm: value });
        const res = await call(e, { token, body, contentType: "application/json" });
        expect(res.status, `${e.name} with ${JSON.stringify(value).slice(0, 40)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${e.name} with ${JSON.stringify(value).slice(0, 40)}`).toBeLessThan(500);
      }
    }
    expect(await snapshot(ctx.db)).toEqual(before);
  });

  it("stores SQL metacharacters and unicode in a title as plain text, and refuses text Postgres cannot hold", async () => {
    const token = await signAccessToken(attacker);
    const add = (title: string) =>
      call(endpoints(victim)[1], {
        token,
        body: JSON.stringify({ title, mediaType: "film", year: 1999 }),
        contentType: "application/json",
      });
    for (const title of ["Robert'); DROP TABLE favorite_items;--", "Amélie \u202e ✨ 千と千尋"]) {
      const res = await add(title);
      expect(res.status, title).toBeLessThan(300);
    }
    const titles = await ctx.db.query<{ title: string }>(
      "SELECT m.title FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id WHERE f.user_id = $1 ORDER BY 1",
      [attacker],
    );
    expect(titles.map((t) => t.title)).toEqual(
      ["Amélie \u202e ✨ 千と千尋", "Robert'); DROP TABLE favorite_items;--"].sort(),
    );
    const before = await snapshot(ctx.db);
    for (const bad of ["nul\u0000byte", "lone \ud800 surrogate", "", " ".repeat(10), "t".repeat(5000)]) {
      const res = await add(bad);
      expect(res.status, JSON.stringify(bad)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(bad)).toBeLessThan(500);
    }
    expect(await snapshot(ctx.db)).toEqual(before);
  });

  it("rejects oversized bodies, wrong content types and malformed JSON with a 4xx", async () => {
    const token = await signAccessToken(attacker);
    const before = await snapshot(ctx.db);
    for (const e of endpoints(victim).filter((x) => x.field)) {
      const huge = await call(e, {
        token,
        body: JSON.stringify({ title: "y".repeat(2_000_000) }),
        contentType: "application/json",
      });
      expect(huge.status, `${e.name} oversized`).toBeGreaterThanOrEqual(400);
      expect(huge.status).toBeLessThan(500);
      const wrongType = await call(e, { token, body: "title=x", contentType: "application/x-www-form-urlencoded" });
      expect(wrongType.status, `${e.name} form body`).toBeGreaterThanOrEqual(400);
      expect(wrongType.status).toBeLessThan(500);
      const broken = await call(e, { token, body: '{"title": ', contentType: "application/json" });
      expect(broken.status, `${e.name} broken JSON`).toBe(400);
    }
    const longHeader = await call(endpoints(victim)[0], { token, headers: { "x-junk": "z".repeat(60_000) } });
    expect(longHeader.status).toBeLessThan(500);
    expect(await snapshot(ctx.db)).toEqual(before);
  });

  it("never lets one user act on or read another's data through ids in paths", async () => {
    const token = await signAccessToken(attacker);
    const [victimFavorite] = await ctx.db.query<{ media_id: string }>(
      "SELECT media_id FROM favorite_items WHERE user_id = $1 LIMIT 1",
      [victim],
    );
    const removal = await call({ ...endpoints(victim)[2], params: { mediaId: victimFavorite.media_id } }, { token });
    expect(removal.status).toBeLessThan(500);
    expect(
      await ctx.db.query("SELECT 1 FROM favorite_items WHERE user_id = $1 AND media_id = $2", [
        victim,
        victimFavorite.media_id,
      ]),
    ).toHaveLength(1);
    // The victim blocked the attacker: the attacker cannot unblock themselves, nor learn why about the victim.
    const unblockRes = await call(endpoints(victim)[10], { token });
    expect(unblockRes.status).toBeLessThan(500);
    expect(
      await ctx.db.query("SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2", [victim, attacker]),
    ).toHaveLength(1);
    const whyRes = await call(endpoints(victim)[7], { token });
    expect(whyRes.status).toBe(404);
    // Nothing the attacker can list holds the victim's rows.
    const listed = await (await call(endpoints(victim)[0], { token })).json();
    const own = await ctx.db.query("SELECT DISTINCT media_id FROM favorite_items WHERE user_id = $1", [attacker]);
    expect(listed.items).toHaveLength(own.length);
    const exported = await (await call(endpoints(victim)[13], { token })).text();
    expect(exported).not.toContain(`"user_id":"${victim}"`);
  });
});
