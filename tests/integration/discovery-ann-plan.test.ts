import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSettings } from "../../lib/discovery/settings";
import { activeDrivers } from "../helpers/drivers";
import { createTestDatabase } from "../helpers/pg-admin";

// discovery_ann is a plpgsql function: EXPLAIN of a call shows a Function Scan and nothing of the
// statements inside it. auto_explain with log_nested_statements logs the plan of every statement
// the function runs, as it runs them (with the parameters bound, from the plan cache), and with
// log_level = notice the plans come back to this session as notices. The test fails if either ANN
// statement stops scanning its HNSW index: an index dropped, an operator or an ORDER BY the index
// cannot serve, a rewrite that sorts every row.
//
// PostgreSQL only: PGlite has no auto_explain. Under CI the postgres driver is required
// (activeDrivers throws without TEST_DATABASE_URL), so this never skips there.
const enabled = activeDrivers().includes("postgres");

// Enough people that an exact scan (read and sort every vector) costs the planner more than the
// index, as at any real size. With the function's hnsw.ef_search = 400, at 5,000 vectors the
// planner still prefers to sort them all; at 15,000 the index is estimated some 20% cheaper.
const PEOPLE = 15_000;
const { tasteK, profileK } = defaultSettings;
// The statement retrieve.ts sends (its own numbering aside).
const ANN_CALL =
  "SELECT candidate_id, found_by, distance FROM discovery_ann($1, $2::vector, $3::vector, $4::int, $5::int)";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Sort Key"?: string[];
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The plan as an indented list of node types and what they scan (for failure messages). */
function outline(plan: PlanNode, depth = 0): string {
  const what = [plan["Relation Name"], plan["Index Name"] && `using ${plan["Index Name"]}`].filter(Boolean).join(" ");
  const line = `${"  ".repeat(depth)}${plan["Node Type"]}${what ? ` on ${what}` : ""}`;
  return [line, ...(plan.Plans ?? []).map((p) => outline(p, depth + 1))].join("\n");
}

describe.runIf(enabled)("discovery_ann's nearest-neighbour statements on PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: postgres.Sql;
  let notices: string[] = [];
  // HNSW indexes on the two vector tables, by table: read from the catalogue, not named here.
  let hnsw: Record<string, string[]> = {};

  beforeAll(async () => {
    db = await createTestDatabase(process.env.TEST_DATABASE_URL!, "template");
    // One connection: LOAD and SET hold for the session the function then runs in.
    sql = postgres(db.url, { max: 1, onnotice: (n) => notices.push(String(n.message)) });
    // The HNSW indexes the migrations made on the two vector tables, read from the catalogue.
    const indexes = await sql<{ table: string; index: string; def: string }[]>`
      SELECT t.relname AS table, i.relname AS index, pg_get_indexdef(x.indexrelid) AS def
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_am am ON am.oid = i.relam
      WHERE am.amname = 'hnsw' AND t.relname IN ('user_taste_vectors', 'user_embeddings')`;
    hnsw = {};
    for (const { table, index } of indexes) (hnsw[table] ??= []).push(index);
    // Loading is faster with the indexes built once afterwards, from their own definitions.
    for (const { index } of indexes) await sql.unsafe(`DROP INDEX ${index}`);
    await sql`SELECT setseed(0.5)`;
    // People with a profile (the auth trigger makes it) and a taste and a profile vector each, in
    // the model versions retrieval compares within. Random directions: no cluster makes it easy.
    await sql.unsafe(`
      WITH people AS (
        INSERT INTO auth.users (raw_user_meta_data)
        SELECT jsonb_build_object('display_name', 'Person ' || g) FROM generate_series(1, ${PEOPLE}) g
        RETURNING id
      ), vectors AS (
        SELECT p.id, t.v AS taste, e.v AS embedding FROM people p
        CROSS JOIN LATERAL (SELECT array_agg(random() - 0.5)::vector AS v FROM generate_series(1, 256) WHERE p.id IS NOT NULL) t
        CROSS JOIN LATERAL (SELECT array_agg(random() - 0.5)::vector AS v FROM generate_series(1, 256) WHERE p.id IS NOT NULL) e
      ), taste AS (
        INSERT INTO user_taste_vectors (user_id, taste, model_version) SELECT id, taste, 'pca-test' FROM vectors
      )
      INSERT INTO user_embeddings (user_id, embedding, model_version) SELECT id, embedding, 'enc-test' FROM vectors`);
    for (const { def } of indexes) await sql.unsafe(def);
    await sql`ANALYZE`;
    await sql.unsafe(`LOAD 'auto_explain'`);
  }, 300_000);

  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  /** Runs discovery_ann for `viewer` as retrieval does; returns its rows and the plans of the ANN statements inside. */
  async function annWithPlans(viewer: string) {
    const [{ taste, embedding }] = await sql<{ taste: string; embedding: string }[]>`
      SELECT t.taste::text AS taste, e.embedding::text AS embedding
      FROM user_taste_vectors t JOIN user_embeddings e USING (user_id) WHERE user_id = ${viewer}`;
    await sql.unsafe(`SET auto_explain.log_min_duration = 0`);
    await sql.unsafe(`SET auto_explain.log_nested_statements = on`);
    await sql.unsafe(`SET auto_explain.log_format = 'json'`);
    await sql.unsafe(`SET auto_explain.log_level = 'notice'`);
    notices = [];
    let rows: { candidate_id: string; found_by: string; distance: number }[];
    try {
      rows = await sql.unsafe(ANN_CALL, [viewer, taste, embedding, tasteK, profileK]);
    } finally {
      await sql.unsafe(`SET auto_explain.log_min_duration = -1`);
    }
    const plans = notices
      .filter((n) => n.includes("plan:"))
      .map((n) => JSON.parse(n.slice(n.indexOf("{"))) as { "Query Text": string; Plan: PlanNode });
    // The statements inside the function that order by a vector distance: the ANN scans.
    const ann = plans.filter(
      (p) => !p["Query Text"].includes("discovery_ann(") && /ORDER BY[^;]*<=>/is.test(p["Query Text"]),
    );
    return { rows, plans, ann };
  }

  it("finds the HNSW indexes the migrations create on both vector tables", () => {
    expect(Object.keys(hnsw).sort()).toEqual(["user_embeddings", "user_taste_vectors"]);
  });

  it("runs both ANN statements as HNSW index scans, call after call, and returns k neighbours each", async () => {
    const viewers = await sql<{ id: string }[]>`SELECT user_id AS id FROM user_taste_vectors ORDER BY user_id LIMIT 8`;
    // plpgsql plans a statement afresh for its first five runs, then keeps a generic plan if that
    // looks no costlier: eight calls in one session pass that point. (A generic plan would scan
    // exactly: with the LIMIT a parameter the planner guesses 10% of the table. The plan cache
    // keeps the custom plans, which is what this checks.)
    for (const { id } of viewers) {
      const { rows, plans, ann } = await annWithPlans(id);
      expect(plans.length, "auto_explain logged the nested statements").toBeGreaterThan(ann.length);
      expect(ann, "one ANN statement per vector table").toHaveLength(2);
      const scanned = new Set<string>();
      for (const plan of ann) {
        const all = nodes(plan.Plan);
        const query = plan["Query Text"].replace(/\s+/g, " ").trim().slice(0, 120);
        const indexScans = all.filter(
          (n) =>
            /Index (Only )?Scan/.test(n["Node Type"]) &&
            hnsw[n["Relation Name"] ?? ""]?.includes(n["Index Name"] ?? ""),
        );
        expect(indexScans, `an HNSW index scan in: ${query}\n${outline(plan.Plan)}`).toHaveLength(1);
        scanned.add(indexScans[0]["Relation Name"]!);
        // Nothing reads the whole vector table or sorts by distance: that would be the exact scan.
        const exact = all.filter(
          (n) =>
            (n["Node Type"] === "Seq Scan" && n["Relation Name"] === indexScans[0]["Relation Name"]) ||
            (n["Node Type"].includes("Sort") && (n["Sort Key"] ?? []).some((k) => k.includes("<=>"))),
        );
        expect(exact, `no exact scan in: ${query}\n${outline(plan.Plan)}`).toEqual([]);
      }
      expect([...scanned].sort()).toEqual(["user_embeddings", "user_taste_vectors"]);
      expect(rows.filter((r) => r.found_by === "taste")).toHaveLength(tasteK);
      expect(rows.filter((r) => r.found_by === "profile")).toHaveLength(profileK);
      expect(
        rows.some((r) => r.candidate_id === id),
        "never the viewer",
      ).toBe(false);
    }
  });
});
