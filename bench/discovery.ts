import type { Db } from "../lib/db/types";
import { prepareHnswBuild } from "../lib/db/hnsw";
import { toVectorParam } from "../lib/db/vector";
import { Rng } from "../lib/random";
import { serveCandidates, type StageTimings } from "../lib/discovery/pipeline";
import { defaultSettings } from "../lib/discovery/settings";
import { loadViewer } from "../lib/discovery/viewer";
import { writeReport } from "./lib/report";
import { summarise, timed, type Latency } from "./lib/stats";
import { startBar } from "../scripts/lib/progress";

export interface DiscoveryBenchResult {
  driver: string;
  users: number;
  favoritesPerUser: number;
  reusedData: boolean;
  loadSeconds: number | null;
  indexBuildSeconds: number | null;
  /** Whether the planner picks HNSW for a plain taste k-NN (small tables may be scanned instead). */
  annUsesIndex: boolean;
  queries: number;
  uncached: Latency;
  cached: Latency;
  /** Stage times inside the uncached requests themselves (serveCandidates' timings). */
  stages: { viewer: Latency; retrieve: Latency; rank: Latency; post: Latency; store: Latency };
  /** discovery_ann alone, run right after each uncached request (so on warm pages). */
  annAlone: Latency;
  /** Requests served before timing began, on viewers outside the timed set. */
  warmup: number;
  /** PostgreSQL: MB of the serving tables and indexes read into shared buffers first (pg_prewarm). */
  prewarmedMb?: number | null;
  /** PostgreSQL: the server's shared_buffers during the run. */
  sharedBuffers?: string | null;
  exact: { queries: number; uncached: Latency; ann: Latency };
  /**
   * Recall of the served ANN stage: the ids discovery_ann returns (both scans, every exclusion)
   * against the same call with index scans off (exact), over the baseline's viewers; mean and
   * the worst viewer's. Absent in runs before it was measured.
   */
  annRecall?: { mean: number; min: number; viewers: number };
}

const DIMS = 256;
const COMMUNITIES = 64;
const TITLES_PER_COMMUNITY = 300;
const FAVORITES_PER_USER = 20;
const CHUNK = 1000;
/** Uncached requests served before timing begins. */
const WARMUP = 30;
const HOBBIES = ["chess", "baking", "climbing", "yoga", "guitar", "running", "drawing", "coding"];

/**
 * Clustered unit vectors whose cluster is chosen by the caller (a user's community), so taste
 * neighbours really share favorites and the features stage does realistic work.
 */
class CommunityVectors {
  private readonly rng: Rng;
  private readonly centres: Float64Array[];
  constructor(seed: number) {
    this.rng = new Rng(seed);
    this.centres = Array.from({ length: COMMUNITIES }, () => Float64Array.from({ length: DIMS }, () => this.gauss()));
  }
  private gauss(): number {
    const u = Math.max(this.rng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rng.next());
  }
  next(community: number): string {
    const c = this.centres[community];
    const v = Array.from(c, (x) => x + 0.8 * this.gauss());
    const norm = Math.hypot(...v);
    return toVectorParam(v.map((x) => Math.round((x / norm) * 1e6) / 1e6));
  }
}

/** Deterministic bench user ids: md5('bench-discovery-' || i) as a uuid, in SQL and here alike. */
const ID_SQL = (i: string) => `md5('bench-discovery-' || ${i})::uuid`;

async function dataReady(db: Db, users: number): Promise<boolean> {
  const [r] = await db.query<{ users: number; taste: number; embeddings: number; indexes: number }>(
    `SELECT (SELECT count(*)::int FROM profiles) AS users,
            (SELECT count(*)::int FROM user_taste_vectors) AS taste,
            (SELECT count(*)::int FROM user_embeddings) AS embeddings,
            (SELECT count(*)::int FROM pg_indexes WHERE indexname IN
               ('user_taste_vectors_taste_hnsw', 'user_embeddings_embedding_hnsw')) AS indexes`,
  );
  return r.users === users && r.taste === users && r.embeddings === users && r.indexes === 2;
}

/**
 * Loads `users` people straight into the serving tables (no batch jobs: vectors are generated
 * clustered by community): profiles in six cities with hobbies and groups, 20 favorites each from
 * their community's titles (popular ones more often), traits naming their community, two
 * accepted connections each inside the community, audit groups. HNSW indexes are dropped during
 * the load and rebuilt after it (a bulk build is far faster than growing the graph row by row).
 */
async function loadUsers(db: Db, users: number): Promise<{ loadSeconds: number; indexBuildSeconds: number }> {
  // Bench database only: start from an empty user base so the counts mean what they say.
  await db.exec(`TRUNCATE auth.users CASCADE;
    DROP INDEX IF EXISTS user_taste_vectors_taste_hnsw; DROP INDEX IF EXISTS user_embeddings_embedding_hnsw`);
  const start = performance.now();
  await db.query(
    `INSERT INTO canonical_media (id, media_type, title)
     SELECT 'local:bench-' || i, 'film', 'Bench title ' || i FROM generate_series(0, $1::int - 1) i
     ON CONFLICT (id) DO NOTHING`,
    [COMMUNITIES * TITLES_PER_COMMUNITY],
  );
  const taste = new CommunityVectors(11);
  const profile = new CommunityVectors(23);
  const b = startBar(`loading ${db.kind}`, users);
  for (let lo = 0; lo < users; lo += CHUNK) {
    const hi = Math.min(users, lo + CHUNK) - 1;
    await db.query(
      `INSERT INTO auth.users (id, raw_user_meta_data)
       SELECT ${ID_SQL("i")}, jsonb_build_object('display_name', 'Bench ' || i) FROM generate_series($1::int, $2::int) i`,
      [lo, hi],
    );
    // The auth trigger normally creates profiles; a database without it (some bench setups) still works.
    await db.query(
      `INSERT INTO profiles (user_id) SELECT ${ID_SQL("i")} FROM generate_series($1::int, $2::int) i
       ON CONFLICT (user_id) DO NOTHING`,
      [lo, hi],
    );
    await db.query(
      `UPDATE profiles p SET display_name = 'Bench ' || g.i,
         lat = (ARRAY[51.5, 40.4, 19.4, 40.7, 52.5, -34.6])[g.i % 6 + 1] + (random() - 0.5) * 0.2,
         lon = (ARRAY[-0.13, -3.7, -99.1, -74.0, 13.4, -58.4])[g.i % 6 + 1] + (random() - 0.5) * 0.2,
         hobbies = ARRAY[($3::text[])[g.i % 8 + 1], ($3::text[])[(g.i / ${COMMUNITIES}) % 8 + 1]],
         communities = ARRAY['group ' || (g.i % ${COMMUNITIES})]
       FROM generate_series($1::int, $2::int) g(i) WHERE p.user_id = ${ID_SQL("g.i")}`,
      [lo, hi, HOBBIES],
    );
    await db.query(
      `INSERT INTO favorite_items (user_id, media_id, source, rating, liked, added_at)
       SELECT ${ID_SQL("i")},
              'local:bench-' || ((i % ${COMMUNITIES}) * ${TITLES_PER_COMMUNITY}
                                 + floor(${TITLES_PER_COMMUNITY} * random() ^ 2)::int),
              'demo', 3 + floor(random() * 5) / 2, random() < 0.3, now() - random() * interval '900 days'
       FROM generate_series($1::int, $2::int) i, generate_series(1, ${FAVORITES_PER_USER})
       ON CONFLICT DO NOTHING`,
      [lo, hi],
    );
    await db.query(
      `INSERT INTO user_traits (user_id, traits, source_hash)
       SELECT ${ID_SQL("i")}, jsonb_build_object('descriptors', jsonb_build_array(
                jsonb_build_object('label', 'community ' || (i % ${COMMUNITIES}), 'weight', 0.6),
                jsonb_build_object('label', 'community ' || ((i / 7) % ${COMMUNITIES}), 'weight', 0.3))), 'bench'
       FROM generate_series($1::int, $2::int) i`,
      [lo, hi],
    );
    // Two accepted connections per user, both inside the community and to users already loaded.
    await db.query(
      `INSERT INTO feedback (user_id, target_user_id, target_id, action)
       SELECT ${ID_SQL("i")}, ${ID_SQL("t")}, ${ID_SQL("t")}::text, 'connect_accept'
       FROM generate_series($1::int, $2::int) i,
            LATERAL (SELECT i - ${COMMUNITIES} * (1 + floor(random() * 20)::int) AS t FROM generate_series(1, 2)) x
       WHERE x.t >= 0`,
      [lo, hi],
    );
    await db.query(
      `INSERT INTO fairness_audit_attributes (user_id, audit_group)
       SELECT ${ID_SQL("i")}, CASE WHEN i % 5 < 2 THEN 'b' ELSE 'a' END FROM generate_series($1::int, $2::int) i`,
      [lo, hi],
    );
    const ids: number[] = [];
    const tv: string[] = [];
    const pv: string[] = [];
    for (let i = lo; i <= hi; i++) {
      ids.push(i);
      tv.push(taste.next(i % COMMUNITIES));
      pv.push(profile.next(i % COMMUNITIES));
    }
    await db.query(
      `INSERT INTO user_taste_vectors (user_id, taste, model_version)
       SELECT ${ID_SQL("i")}, v::vector, 'bench' FROM unnest($1::int[], $2::text[]) AS t(i, v)`,
      [ids, tv],
    );
    await db.query(
      `INSERT INTO user_embeddings (user_id, embedding, model_version)
       SELECT ${ID_SQL("i")}, v::vector, 'bench' FROM unnest($1::int[], $2::text[]) AS t(i, v)`,
      [ids, pv],
    );
    b.update(hi + 1);
  }
  b.stop();
  const loadSeconds = (performance.now() - start) / 1000;
  await prepareHnswBuild(db, db.kind, users);
  console.log(`building the two HNSW indexes on ${users} users (${db.kind}); this is the slow part`);
  // The migration's definitions (same names), so the serving function uses them as in production.
  const [, ms] = await timed(() =>
    db.exec(`CREATE INDEX IF NOT EXISTS user_taste_vectors_taste_hnsw ON user_taste_vectors USING hnsw (taste vector_cosine_ops);
      CREATE INDEX IF NOT EXISTS user_embeddings_embedding_hnsw ON user_embeddings USING hnsw (embedding vector_cosine_ops);
      ANALYZE`),
  );
  return { loadSeconds, indexBuildSeconds: ms / 1000 };
}

/** What a discovery request reads: these tables and all their indexes. */
const SERVING_TABLES = [
  "profiles",
  "user_taste_vectors",
  "user_embeddings",
  "favorite_items",
  "canonical_media",
  "feedback",
  "user_traits",
  "privacy_settings",
  "blocks",
  "events",
  "safety_scores",
  "fairness_audit_attributes",
];

/**
 * PostgreSQL: reads the serving tables and their indexes into shared buffers (pg_prewarm), as a
 * long-running server's cache holds its hot data; otherwise each timed request would pay for the
 * first touches of its pages. It helps only as far as shared_buffers holds them (see
 * scripts/local-postgres.sh). Returns the MB read, or null where pg_prewarm is not installed.
 */
async function prewarm(db: Db): Promise<number | null> {
  if (db.kind !== "postgres") return null;
  try {
    await db.exec("CREATE EXTENSION IF NOT EXISTS pg_prewarm");
  } catch (err) {
    console.log(`pg_prewarm unavailable (${(err as Error).message}): timing without a prewarmed cache`);
    return null;
  }
  console.log("prewarming the serving tables and indexes (pg_prewarm)");
  const [row] = await db.query<{ blocks: number }>(
    // A partitioned table (events) has no storage of its own: its partitions and their indexes are read.
    `WITH t AS (SELECT to_regclass('public.' || x) AS oid FROM unnest($1::text[]) x),
     rel AS (SELECT oid FROM t UNION SELECT i.inhrelid FROM pg_inherits i JOIN t ON i.inhparent = t.oid),
     every_rel AS (SELECT oid FROM rel UNION SELECT ix.indexrelid FROM pg_index ix WHERE ix.indrelid IN (SELECT oid FROM rel))
     SELECT coalesce(sum(pg_prewarm(c.oid)), 0)::float8 AS blocks FROM pg_class c
     WHERE c.oid IN (SELECT oid FROM every_rel) AND c.relkind IN ('r', 'i', 'm')`,
    [SERVING_TABLES],
  );
  return Math.round((Number(row.blocks) * 8) / 1024);
}

async function viewerIds(db: Db, users: number, n: number, seed = 99): Promise<string[]> {
  const rng = new Rng(seed);
  const picks = rng.sample(
    Array.from({ length: users }, (_, i) => i),
    n,
  );
  const rows = await db.query<{ id: string }>(
    `SELECT ${ID_SQL("i")}::text AS id FROM unnest($1::int[]) WITH ORDINALITY AS t(i, o) ORDER BY o`,
    [picks],
  );
  return rows.map((r) => r.id);
}

async function uncachedServe(db: Db, viewer: string, timings?: Partial<StageTimings>): Promise<number> {
  await db.query(`DELETE FROM slate_cache WHERE viewer_id = $1`, [viewer]);
  const [page, ms] = await timed(() => serveCandidates(db, viewer, { limit: 10, offset: 0, timings }));
  if (page.cached) throw new Error("expected an uncached slate");
  return ms;
}

/** The ANN statement alone (both scans, every exclusion), as the retrieval statement runs it: the ids found, and its time. */
async function annOnly(
  db: Db,
  viewer: string,
  taste: number[] | null,
  embedding: number[] | null,
): Promise<[Set<string>, number]> {
  const [rows, ms] = await timed(() =>
    db.query<{ id: string }>(
      `SELECT candidate_id::text AS id FROM discovery_ann($1, $2::vector, $3::vector, $4::int, $5::int)`,
      [
        viewer,
        taste ? toVectorParam(taste) : null,
        embedding ? toVectorParam(embedding) : null,
        defaultSettings.tasteK,
        defaultSettings.profileK,
      ],
    ),
  );
  return [new Set(rows.map((r) => r.id)), ms];
}

/**
 * GET /candidates latency at `users` users: uncached (a new slate: every stage plus the cache
 * write) and cached (the repeat request), the stage breakdown, and the same uncached requests
 * with index scans off (exact k-NN) as the baseline.
 */
export async function runDiscoveryBench(
  db: Db,
  users: number,
  options: { queries?: number; exactQueries?: number } = {},
): Promise<DiscoveryBenchResult> {
  const queries = options.queries ?? 100;
  const exactQueries = Math.min(queries, options.exactQueries ?? (users > 200_000 ? 20 : 50));
  const reusedData = await dataReady(db, users);
  let load: { loadSeconds: number | null; indexBuildSeconds: number | null } = {
    loadSeconds: null,
    indexBuildSeconds: null,
  };
  if (reusedData) console.log(`reusing ${users} bench users (vectors and indexes present)`);
  else load = await loadUsers(db, users);
  await db.exec("TRUNCATE slate_cache, why_cache");
  // A live server's tables have been vacuumed by autovacuum: its visibility map lets the shared
  // favorites step read the favorites' primary key alone (an index-only scan). A fresh bulk load
  // has no visibility map yet; on data already vacuumed this takes seconds.
  console.log("VACUUM ANALYZE of the serving tables (autovacuum's steady state)");
  for (const table of SERVING_TABLES) await db.exec(`VACUUM (ANALYZE) ${table}`);
  const prewarmed = await prewarm(db);
  const viewers = await viewerIds(db, users, queries);
  const sample = (await db.query<{ t: string }>(`SELECT taste::text AS t FROM user_taste_vectors LIMIT 1`))[0].t;
  const plan = await db.query<{ "QUERY PLAN": string }>(
    `EXPLAIN SELECT user_id FROM user_taste_vectors ORDER BY taste <=> $1::vector LIMIT 200`,
    [sample],
  );
  const annUsesIndex = plan.some((p) => /Index Scan/.test(p["QUERY PLAN"]));

  // A server's connection is long-lived: its plan caches are warm and it has touched the shared
  // buffers before. Serve some viewers outside the timed set first, so the figures describe that
  // steady state rather than a new connection's first requests (measured ~2.5x slower).
  const warmupViewers = await viewerIds(db, users, Math.min(WARMUP, users), 7);
  for (const viewer of warmupViewers.filter((v) => !viewers.includes(v))) await uncachedServe(db, viewer);
  const uncached: number[] = [];
  const cached: number[] = [];
  const annAlone: number[] = [];
  const annFound = new Map<string, Set<string>>();
  const stages = {
    viewer: [] as number[],
    retrieve: [] as number[],
    rank: [] as number[],
    post: [] as number[],
    store: [] as number[],
  };
  const b = startBar("candidates (uncached, cached, ANN alone)", queries);
  for (const viewer of viewers) {
    const timings: Partial<StageTimings> = {};
    uncached.push(await uncachedServe(db, viewer, timings));
    for (const k of Object.keys(stages) as (keyof typeof stages)[]) stages[k].push(timings[k] ?? 0);
    const [page, ms] = await timed(() => serveCandidates(db, viewer, { limit: 10, offset: 0 }));
    if (!page.cached) throw new Error("expected the repeat request to be served from the cache");
    cached.push(ms);
    const loaded = await loadViewer(db, viewer);
    const [found, annMs] = await annOnly(db, viewer, loaded.viewer.taste, loaded.viewer.embedding);
    annAlone.push(annMs);
    annFound.set(viewer, found);
    b.increment();
  }
  b.stop();

  await db.exec("SET enable_indexscan = off");
  const exactUncached: number[] = [];
  const exactAnn: number[] = [];
  const recalls: number[] = [];
  const b2 = startBar("exact-search baseline (index scans off)", exactQueries);
  try {
    for (const viewer of viewers.slice(0, exactQueries)) {
      exactUncached.push(await uncachedServe(db, viewer));
      const loaded = await loadViewer(db, viewer);
      const [exact, exactMs] = await annOnly(db, viewer, loaded.viewer.taste, loaded.viewer.embedding);
      exactAnn.push(exactMs);
      const ann = annFound.get(viewer)!;
      if (exact.size) recalls.push([...exact].filter((id) => ann.has(id)).length / exact.size);
      b2.increment();
    }
  } finally {
    b2.stop();
    await db.exec("RESET enable_indexscan");
  }

  return {
    driver: db.kind,
    users,
    favoritesPerUser: FAVORITES_PER_USER,
    reusedData,
    ...load,
    annUsesIndex,
    queries,
    uncached: summarise(uncached),
    cached: summarise(cached),
    annAlone: summarise(annAlone),
    warmup: warmupViewers.length,
    prewarmedMb: prewarmed,
    sharedBuffers:
      db.kind === "postgres"
        ? (await db.query<{ shared_buffers: string }>("SHOW shared_buffers"))[0].shared_buffers
        : null,
    stages: {
      viewer: summarise(stages.viewer),
      retrieve: summarise(stages.retrieve),
      rank: summarise(stages.rank),
      post: summarise(stages.post),
      store: summarise(stages.store),
    },
    exact: { queries: exactQueries, uncached: summarise(exactUncached), ann: summarise(exactAnn) },
    annRecall: recalls.length
      ? {
          mean: Math.round((recalls.reduce((s, x) => s + x, 0) / recalls.length) * 1000) / 1000,
          min: Math.round(Math.min(...recalls) * 1000) / 1000,
          viewers: recalls.length,
        }
      : undefined,
  };
}

const triple = (l: Latency) => `${l.p50} / ${l.p95} / ${l.p99}`;

/** Writes bench/results/discovery-<scale>.json + .md; returns the Markdown. */
export function reportDiscovery(scale: string, results: DiscoveryBenchResult[]): string {
  return writeReport({
    name: `discovery-${scale}`,
    title: `Discovery candidates latency, GET /candidates slate of 10 (scale ${scale})`,
    columns: [
      "driver",
      "users",
      "uncached p50 / p95 / p99 ms",
      "cached p50 / p95 / p99 ms",
      "in-request viewer / retrieval / rank / post / store p50 ms",
      "ANN alone p50 / p95 ms",
      "exact: uncached p50 / p95 / p99 ms",
      "exact: ANN stage p50 ms",
      "ANN recall (mean / worst viewer)",
    ],
    rows: results.map((r) => [
      r.driver,
      r.users.toLocaleString("en"),
      triple(r.uncached),
      triple(r.cached),
      r.stages.retrieve
        ? [r.stages.viewer, r.stages.retrieve, r.stages.rank, r.stages.post, r.stages.store]
            .map((l) => l.p50)
            .join(" / ")
        : "(older run: stages timed separately)",
      r.annAlone ? `${r.annAlone.p50} / ${r.annAlone.p95}` : "-",
      triple(r.exact.uncached),
      `${r.exact.ann.p50}${r.annUsesIndex ? "" : " (planner scans: no HNSW at this size)"}`,
      r.annRecall ? `${r.annRecall.mean} / ${r.annRecall.min}` : "-",
    ]),
    notes: [
      `Data loaded directly (no batch jobs): 64 communities; per user a 256-d taste vector and profile embedding clustered by community, ${results[0]?.favoritesPerUser ?? 20} favorites from the community's 300 titles (skewed to popular ones), traits, 2 accepted connections, an audit group; HNSW indexes as in the migration (m=16, ef_construction=64), built after the load; VACUUM ANALYZE of the serving tables before timing (a live server's autovacuum state).`,
      `Uncached: serveCandidates after deleting the viewer's slate_cache row (viewer load, ANN taste top ${defaultSettings.tasteK} UNION profile top ${defaultSettings.profileK} with exclusions, per-candidate facts, features, prior ranker, safety, MMR + community cap + fairness over a 50-long slate, slate cache write and impressions). Cached: the repeat request (one indexed read).`,
      `Stages (p50 each) are timed inside the uncached requests: viewer = one-round-trip viewer load; retrieval = the one statement with ANN (taste top ${defaultSettings.tasteK} + profile top ${defaultSettings.profileK}) and every per-candidate fact; rank = features, ranker, safety; post = the pool's diversity vectors (one round trip), MMR, community cap, fairness, the slate's shared titles (one round trip); store = slate cache, explanations and impressions (one statement). ANN alone = discovery_ann by itself right after each request.`,
      `PostgreSQL cache: ${results
        .filter((r) => r.driver === "postgres")
        .map(
          (r) =>
            `at ${r.users.toLocaleString("en")} users shared_buffers ${r.sharedBuffers ?? "not recorded"}, ${r.prewarmedMb ? `${r.prewarmedMb.toLocaleString("en")} MB of serving tables and indexes prewarmed (pg_prewarm)` : "not prewarmed"}`,
        )
        .join("; ")}. A server's cache holds its hot data.`,
      `Warm-up: ${results[0]?.warmup ?? 0} requests for other viewers on the same connection before timing (a server's connection is long-lived; a new connection's first requests measured ~2.5x slower).`,
      `Baseline: the first ${results[0]?.exact.queries ?? 0} viewers again with SET enable_indexscan = off (exact k-NN; other index lookups fall back to bitmap scans). ANN recall: the ids discovery_ann found for those viewers (both scans, every exclusion) that the exact call also returns, over the exact call's count.`,
      "Latency is one request at a time from the client, including driver round trips (postgres.js with prepared statements). Spec budget: p95 <= 120 ms uncached, <= 50 ms cached.",
    ],
    data: results,
  });
}
