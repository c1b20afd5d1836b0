import type { Db } from "../lib/db/types";
import { prepareHnswBuild } from "../lib/db/hnsw";
import { toVectorParam } from "../lib/db/vector";
import { summarise, timed, type Latency } from "./lib/stats";
import { ClusteredVectors } from "./lib/vectors";
import { startBar } from "../scripts/lib/progress";

export interface KnnResult {
  driver: string;
  rows: number;
  dims: number;
  k: number;
  efSearch: number;
  reusedData: boolean;
  /** Whether the planner used the HNSW index for the ANN query (else the figures mean nothing). */
  annUsesIndex: boolean;
  loadSeconds: number | null;
  indexBuildSeconds: number | null;
  ann: Latency;
  exact: Latency;
  recallAtK: number;
}

const DIMS = 256;
const BATCH = 1000;

/** What an earlier run of the same size left behind: loaded rows, and whether the index exists. */
async function tableState(db: Db, table: string, rows: number): Promise<{ loaded: boolean; indexed: boolean }> {
  const [exists] = await db.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [table]);
  if (!exists.ok) return { loaded: false, indexed: false };
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  const [index] = await db.query<{ ok: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE tablename = $1 AND indexdef ILIKE '%hnsw%') AS ok",
    [table],
  );
  return { loaded: count.n === rows, indexed: count.n === rows && index.ok };
}

/**
 * HNSW k-NN (cosine) over 256-d clustered vectors: loads `rows` vectors (or reuses a table left
 * by an earlier run of the same size), builds the index after the bulk load, then times `queries`
 * ANN searches and the same searches as an exact scan, and reports recall@k of ANN against exact.
 */
export async function runKnnBench(
  db: Db,
  rows: number,
  options: { queries?: number; k?: number } = {},
): Promise<KnnResult> {
  const k = options.k ?? 200;
  const queries = options.queries ?? 100;
  const efSearch = Math.max(k, 200); // ef_search caps the rows an HNSW scan returns: keep it >= k
  const table = `bench_knn_${rows}`;
  const gen = new ClusteredVectors(DIMS, { seed: 7 });
  let loadSeconds: number | null = null;
  let indexBuildSeconds: number | null = null;
  const state = await tableState(db, table, rows);
  const reusedData = state.loaded;
  if (!state.loaded) {
    await db.exec(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id int PRIMARY KEY, v vector(${DIMS}))`);
    const b = startBar(`loading ${db.kind}`, rows);
    const start = performance.now();
    for (let i = 0; i < rows; i += BATCH) {
      const n = Math.min(BATCH, rows - i);
      const ids = Array.from({ length: n }, (_, j) => i + j);
      const vecs = ids.map(() => toVectorParam(gen.next()));
      await db.query(`INSERT INTO ${table} SELECT * FROM unnest($1::int[], $2::text[]::vector[])`, [ids, vecs]);
      b.update(i + n);
    }
    b.stop();
    loadSeconds = (performance.now() - start) / 1000;
  } else {
    console.log(`reusing the ${rows} rows already loaded in ${table}`);
  }
  if (!state.indexed) {
    await prepareHnswBuild(db, db.kind, rows);
    console.log(`building HNSW index on ${rows} rows (${db.kind}); this is the slow part`);
    const [, ms] = await timed(() =>
      db.exec(`CREATE INDEX ON ${table} USING hnsw (v vector_cosine_ops) WITH (m = 16, ef_construction = 64)`),
    );
    indexBuildSeconds = ms / 1000;
    await db.exec(`ANALYZE ${table}`);
  } else {
    console.log(`reusing ${table} (${rows} rows, index present)`);
  }
  const queryGen = new ClusteredVectors(DIMS, { seed: 7 });
  for (let i = 0; i < 1000; i++) queryGen.next(); // queries are new points from the same distribution
  const qs = Array.from({ length: queries }, () => toVectorParam(queryGen.next()));
  const sql = `SELECT id FROM ${table} ORDER BY v <=> $1::vector LIMIT ${k}`;

  // Small tables make a sequential scan look cheaper to the planner; this measures the index.
  await db.exec(`SET hnsw.ef_search = ${efSearch}; SET enable_seqscan = off`);
  await db.query(sql, [qs[0]]); // warm the index into memory
  const plan = await db.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, [qs[0]]);
  const annUsesIndex = plan.some((p) => /Index Scan/.test(p["QUERY PLAN"]));
  const annTimes: number[] = [];
  const annIds: number[][] = [];
  const b1 = startBar("ANN queries", queries);
  for (const q of qs) {
    const [res, ms] = await timed(() => db.query<{ id: number }>(sql, [q]));
    annTimes.push(ms);
    annIds.push(res.map((r) => r.id));
    b1.increment();
  }
  b1.stop();

  await db.exec("RESET enable_seqscan; SET enable_indexscan = off");
  const exactTimes: number[] = [];
  let recallSum = 0;
  const b2 = startBar("exact queries", queries);
  for (const [i, q] of qs.entries()) {
    const [res, ms] = await timed(() => db.query<{ id: number }>(sql, [q]));
    exactTimes.push(ms);
    const truth = new Set(res.map((r) => r.id));
    recallSum += annIds[i].filter((id) => truth.has(id)).length / truth.size;
    b2.increment();
  }
  b2.stop();
  await db.exec("RESET enable_indexscan");

  return {
    driver: db.kind,
    rows,
    dims: DIMS,
    k,
    efSearch,
    reusedData,
    annUsesIndex,
    loadSeconds,
    indexBuildSeconds,
    ann: summarise(annTimes),
    exact: summarise(exactTimes),
    recallAtK: Math.round((recallSum / queries) * 1000) / 1000,
  };
}
