import { expect, it } from "vitest";
import { fromVectorColumn, toVectorParam } from "../../lib/db/vector";
import { describeEachDriver } from "../helpers/drivers";

describeEachDriver("database interface", (ctx) => {
  it("binds parameters instead of splicing text (no injection through a value)", async () => {
    const evil = "x'); DROP TABLE profiles; --";
    const rows = await ctx.db.query<{ v: string }>("SELECT $1::text AS v", [evil]);
    expect(rows).toEqual([{ v: evil }]);
    const still = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM profiles");
    expect(still[0].n).toBe(0);
  });

  it("returns the same row shapes on both drivers (int8 as number, arrays, jsonb)", async () => {
    const [row] = await ctx.db.query<{ n: number; arr: string[]; doc: { a: number } }>(
      "SELECT count(*) AS n, ARRAY['a','b'] AS arr, '{\"a\":1}'::jsonb AS doc FROM (VALUES (1),(2)) t(x)",
    );
    expect(row).toEqual({ n: 2, arr: ["a", "b"], doc: { a: 1 } });
  });

  it("round-trips pgvector values and orders by cosine distance", async () => {
    await ctx.db.exec("CREATE TEMP TABLE vecs (id int, v vector(3))");
    const points: [number, number[]][] = [
      [1, [1, 0, 0]],
      [2, [0.9, 0.1, 0]],
      [3, [0, 0, 1]],
    ];
    for (const [id, v] of points) {
      await ctx.db.query("INSERT INTO vecs VALUES ($1, $2::vector)", [id, toVectorParam(v)]);
    }
    const rows = await ctx.db.query<{ id: number; v: string }>(
      "SELECT id, v::text AS v FROM vecs ORDER BY v <=> $1::vector LIMIT 2",
      [toVectorParam([1, 0.05, 0])],
    );
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
    expect(fromVectorColumn(rows[1].v)).toEqual([0.9, 0.1, 0]);
  });

  it("rolls a transaction back whole when any statement fails", async () => {
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query("INSERT INTO auth.users (email) VALUES ($1)", ["rollback@example.test"]);
        await tx.query("SELECT 1/0");
      }),
    ).rejects.toThrow(/division by zero/);
    const rows = await ctx.db.query("SELECT 1 FROM auth.users WHERE email = $1", ["rollback@example.test"]);
    expect(rows).toHaveLength(0);
  });

  it("commits a transaction's writes together", async () => {
    const id = await ctx.db.transaction(async (tx) => {
      const [u] = await tx.query<{ id: string }>("INSERT INTO auth.users (email) VALUES ($1) RETURNING id", [
        "commit@example.test",
      ]);
      await tx.query("UPDATE profiles SET display_name = $2 WHERE user_id = $1", [u.id, "Committed"]);
      return u.id;
    });
    const rows = await ctx.db.query<{ display_name: string }>("SELECT display_name FROM profiles WHERE user_id = $1", [
      id,
    ]);
    expect(rows).toEqual([{ display_name: "Committed" }]);
  });

  it("round-trips bytea byte for byte (sealed tokens, model components, binary vectors)", async () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919 + (i >> 8)) % 256);
    const [row] = await ctx.db.query<{ b: Uint8Array; n: number; empty: Uint8Array }>(
      `SELECT $1::bytea AS b, length($1::bytea) AS n, ''::bytea AS empty`,
      [bytes],
    );
    expect(row.n).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(row.b), Buffer.from(bytes))).toBe(0);
    expect(row.empty.length).toBe(0);
    // Readers view the bytes as float4: the value must not sit at an odd offset of a shared pool.
    expect(new Float32Array(row.b.buffer, row.b.byteOffset, 4).length).toBe(4);
  });
});
