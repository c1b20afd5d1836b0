import { beforeAll, expect, it } from "vitest";
import { withClaims } from "../../lib/db/claims";
import { seedDemo } from "../../lib/demo/seed";
import { userColumns, ident } from "../../lib/privacy/user-tables";
import { describeEachDriver } from "../helpers/drivers";

/**
 * Every table, read from the catalogue (so a table added later is covered without editing this
 * test): as user A, none of user B's rows can be read, changed or deleted, and anon reads nothing
 * that belongs to anyone.
 */
describeEachDriver("row-level security on every table", (ctx) => {
  let a = "";
  let b = "";
  const asA = () => ({ sub: a, role: "authenticated" as const });

  beforeAll(async () => {
    await seedDemo(ctx.db, { users: 6, seed: 8 });
    const users = await ctx.db.query<{ user_id: string }>("SELECT user_id FROM profiles ORDER BY user_id LIMIT 2");
    [a, b] = users.map((u) => u.user_id);
    // Give B a row in every table that references users and accepts a minimal row.
    await ctx.db.query("INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, 'location', false)", [b]);
    await ctx.db.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [b, a]);
    await ctx.db.query("INSERT INTO events (user_id, kind) VALUES ($1, 'dwell')", [b]);
    await ctx.db.query("INSERT INTO feedback (user_id, target_user_id, action) VALUES ($1, $2, 'connect')", [b, a]);
    await ctx.db.query(
      "INSERT INTO connector_accounts (user_id, service, tokens_encrypted) VALUES ($1, 'spotify', 'v1.k.iv.ct')",
      [b],
    );
  });

  it("hides B's rows from A in every table that references users, and refuses A's writes to them", async () => {
    const columns = await userColumns(ctx.db);
    expect(columns.length).toBeGreaterThan(10);
    const checked: string[] = [];
    for (const { table, column } of columns) {
      const t = ident(table);
      const c = ident(column);
      const [{ n: bRows }] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE ${c} = $1`, [
        b,
      ]);
      const visible = await withClaims(ctx.db, asA(), (tx) =>
        tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE ${c} = $1`, [b]),
      ).catch((err: Error) => {
        expect(err.message, `${table}`).toMatch(/permission denied/);
        return [{ n: 0 }];
      });
      // A row about A that B wrote (B blocked A, B's swipe on A) is B's, not A's to read.
      if (!(table === "blocks" && column === "blocked_id") && !(table === "feedback" && column === "target_user_id")) {
        expect(visible[0].n, `${table}.${column}: B's rows visible to A`).toBe(0);
      }
      const deleted = await withClaims(ctx.db, asA(), (tx) =>
        tx.query(`DELETE FROM ${t} WHERE ${c} = $1 RETURNING 1`, [b]),
      ).catch(() => []);
      expect(deleted, `${table}.${column}: A deleted B's rows`).toHaveLength(0);
      const [{ n: after }] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE ${c} = $1`, [
        b,
      ]);
      expect(after, `${table}.${column}`).toBe(bRows);
      checked.push(`${table}.${column}`);
    }
    expect(checked).toEqual(
      expect.arrayContaining(["favorite_items.user_id", "user_taste_vectors.user_id", "profiles.user_id"]),
    );
  });

  it("shows anon no row of any table that references users", async () => {
    for (const { table } of await userColumns(ctx.db)) {
      const rows = await withClaims(ctx.db, { role: "anon" }, (tx) =>
        tx.query(`SELECT 1 FROM ${ident(table)} LIMIT 1`),
      ).catch((err: Error) => {
        expect(err.message, table).toMatch(/permission denied/);
        return [];
      });
      expect(rows, `anon reads ${table}`).toEqual([]);
    }
  });

  it("lets neither browser role call any of our functions (they serve the server only)", async () => {
    const fns = await ctx.db.query<{ name: string; anon: boolean; authenticated: boolean }>(
      `SELECT p.proname AS name,
              has_function_privilege('anon', p.oid, 'EXECUTE') AS anon,
              has_function_privilege('authenticated', p.oid, 'EXECUTE') AS authenticated
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public'
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    );
    expect(fns.map((f) => f.name)).toEqual(expect.arrayContaining(["discovery_ann", "handle_new_user"]));
    for (const f of fns)
      expect({ name: f.name, anon: f.anon, authenticated: f.authenticated }).toEqual({
        name: f.name,
        anon: false,
        authenticated: false,
      });
  });
});
