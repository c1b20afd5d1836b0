import { existsSync } from "node:fs";
import { signAccessToken } from "../lib/auth/tokens";
import type { Db } from "../lib/db/types";
import { startBuiltServer } from "./lib/load-server";
import { runBatch } from "../lib/jobs/batch";
import { batchJob } from "../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../lib/job-registry/job-context";
import { recommendProducts } from "../lib/products/recommend";
import { Rng } from "../lib/random";
import { summarise, timed, type Latency } from "./lib/stats";

export interface ProductsBenchResult {
  driver: "postgres";
  people: number;
  products: number;
  events: number;
  algorithm: string;
  /** Null when the data was reused from an earlier run (BENCH_PRODUCTS_REUSE=1). */
  loadSeconds: number | null;
  batchSeconds: number;
  /** The fit alone (reading events, fitting, storing neighbour lists and popularity). */
  fitSeconds: number;
  /** People whose list the batch wrote (all trained people unless a reused batch was stopped). */
  listed: number;
  peoplePerSecond: number;
  tenMillionHours: number;
  cachedMs: Latency;
  /** The same people answered without the daily list: their history scored at request time. */
  uncachedMs: Latency;
  productPageMs: Latency;
  sessionMs: Latency;
  /** GET /api/recommendations through `next start`, one request at a time; null without a build. */
  http: { cachedMs: Latency; sessionMs: Latency } | null;
}

/**
 * Loads `people` shoppers with ~12 product events each over `products` products in 100 categories
 * (each person keeps to two categories, skewed to the popular products there), and 10,000
 * anonymous sessions of 5 events. Generated in SQL, nothing over the wire.
 */
async function load(db: Db, people: number, products: number): Promise<number> {
  await db.query(
    `INSERT INTO products (id, title, category, price)
     SELECT 'p' || i, 'Product ' || i, ARRAY['c' || (i % 100), 's' || (i % 400)], (i % 200) + 0.99
     FROM generate_series(0, $1 - 1) AS i`,
    [products],
  );
  await db.query(
    `INSERT INTO auth.users (id, email)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, NULL FROM generate_series(1, $1) AS i`,
    [people],
  );
  const perCategory = Math.floor(products / 100);
  await db.query(
    `INSERT INTO events (user_id, kind, target_type, target_id, created_at)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(u), 12, '0'))::uuid,
            (ARRAY['view','view','view','click','click','add_to_cart','purchase'])[1 + (random() * 6)::int],
            'product',
            'p' || ((((u * 7 + (k % 2) * 13) % 100)) + 100 * floor(power(random(), 2) * $2)::int),
            now() - make_interval(days => (random() * 60)::int)
     FROM generate_series(1, $1) AS u, generate_series(1, 12) AS k`,
    [people, perCategory],
  );
  await db.query(
    `INSERT INTO events (anon_id, kind, target_type, target_id)
     SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(a), 12, '0'))::uuid, 'view', 'product',
            'p' || (((a % 100)) + 100 * floor(power(random(), 2) * $1)::int)
     FROM generate_series(1, 10000) AS a, generate_series(1, 5) AS k`,
    [perCategory],
  );
  await db.exec("ANALYZE");
  const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE target_type = 'product'");
  return Number(row.n);
}

const SECRET = "products-bench-jwt-secret-of-sufficient-length-0123";
const aid = (i: number) => `10000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

/** The cached and session paths over HTTP: the built app on the bench database (npm run build first). */
async function overHttp(databaseUrl: string, listedPeople: readonly string[], requests: number) {
  if (!existsSync(".next/BUILD_ID")) {
    console.log("products over HTTP: skipped (no production build: npm run build first)");
    return null;
  }
  process.env.SUPABASE_JWT_SECRET = SECRET;
  const server = await startBuiltServer({
    DATABASE_URL: databaseUrl,
    SUPABASE_JWT_SECRET: SECRET,
    MESH_RATE_LIMIT_IP: "100000000",
    MESH_RATE_LIMIT_USER: "100000000",
  });
  const rng = new Rng(9);
  const tokens = await Promise.all(
    Array.from({ length: 50 }, () => listedPeople[rng.int(0, listedPeople.length - 1)]).map(async (id) => {
      return { id, token: await signAccessToken(id) };
    }),
  );
  const get = async (path: string, token?: string) => {
    const r = await fetch(`${server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  };
  const measure = async (req: (i: number) => Promise<void>) => {
    const samples: number[] = [];
    for (let i = 0; i < requests + 50; i++) {
      const [, ms] = await timed(() => req(i));
      if (i >= 50) samples.push(ms); // the first 50 compile the route and verify the tokens once
    }
    return summarise(samples);
  };
  try {
    const cachedMs = await measure((i) => {
      const t = tokens[i % tokens.length];
      return get(`/api/recommendations?userId=${t.id}&context=homepage&limit=10`, t.token);
    });
    const sessionMs = await measure(() =>
      get(`/api/recommendations?anonId=${aid(rng.int(1, 10000))}&context=homepage&limit=10`),
    );
    return { cachedMs, sessionMs };
  } finally {
    await server.stop();
  }
}

export async function runProductsBench(
  db: Db,
  people: number,
  products: number,
  databaseUrl: string,
  options: { reuse?: boolean } = {},
  requests = 300,
): Promise<ProductsBenchResult> {
  let loadMs: number | null = null;
  if (!options.reuse) {
    [, loadMs] = await timed(() => load(db, people, products));
    await runBatch(db, batchJob("product-recommendations", defaultJobContext()));
  }
  const [events] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE target_type = 'product'");
  const [model] = await db.query<{ algorithm: string; people: number }>(
    "SELECT algorithm, people FROM item_models WHERE active",
  );
  // The batch's phases from its own records: the run's start, its first and last list written.
  const [run] = await db.query<{ fit: number; lists: number; listed: number }>(
    `SELECT extract(epoch FROM min(r.generated_at) - b.started_at)::float8 AS fit,
            extract(epoch FROM max(r.generated_at) - min(r.generated_at))::float8 AS lists, count(*)::int AS listed
     FROM item_recommendations r,
          (SELECT started_at FROM batch_runs WHERE job = 'product-recommendations' ORDER BY started_at DESC LIMIT 1) b
     GROUP BY b.started_at`,
  );
  const listRate = run.listed / Math.max(run.lists, 1e-3);
  // Whole-batch people/s for every trained person: the fit plus their lists at the measured rate.
  const batchSeconds = run.fit + Number(model.people) / listRate;
  // Requests for people who have a list (a stopped reused batch wrote some of them).
  const listedPeople = (
    await db.query<{ id: string }>(
      "SELECT user_id::text AS id FROM item_recommendations ORDER BY md5(user_id::text) LIMIT 400",
    )
  ).map((r) => r.id);
  const rng = new Rng(5);
  const measure = async (req: () => Parameters<typeof recommendProducts>[1]) => {
    const samples: number[] = [];
    for (let i = 0; i < requests + 20; i++) {
      const [, ms] = await timed(() => recommendProducts(db, req(), new Date()));
      if (i >= 20) samples.push(ms); // the first 20 warm the connection and plans
    }
    return summarise(samples);
  };
  const base = { limit: 10, anonId: null, userId: null } as const;
  const quiet = console.log;
  console.log = () => {}; // the per-request log line, not measured here
  try {
    const someone = () => listedPeople[rng.int(0, listedPeople.length - 1)];
    const cachedMs = await measure(() => ({ ...base, userId: someone(), context: "homepage" }));
    // Baseline: the same requests with the daily lists gone (the person's history scored live).
    await db.query("ALTER TABLE item_recommendations RENAME TO item_recommendations_kept");
    await db.query("CREATE TABLE item_recommendations (LIKE item_recommendations_kept INCLUDING ALL)");
    const uncachedMs = await measure(() => ({ ...base, userId: someone(), context: "homepage" }));
    await db.query("DROP TABLE item_recommendations");
    await db.query("ALTER TABLE item_recommendations_kept RENAME TO item_recommendations");
    const productPageMs = await measure(() => ({
      ...base,
      anonId: aid(1),
      context: "product-page",
      productId: `p${rng.int(0, 999)}`,
    }));
    const sessionMs = await measure(() => ({ ...base, anonId: aid(rng.int(1, 10000)), context: "homepage" }));
    console.log = quiet;
    const http = await overHttp(databaseUrl, listedPeople, requests);
    const peoplePerSecond = Number(model.people) / batchSeconds;
    return {
      driver: "postgres",
      people,
      products,
      events: Number(events.n),
      algorithm: model.algorithm,
      loadSeconds: loadMs === null ? null : loadMs / 1000,
      batchSeconds,
      fitSeconds: run.fit,
      listed: run.listed,
      peoplePerSecond: Math.round(peoplePerSecond),
      tenMillionHours: Math.round((10_000_000 / peoplePerSecond / 3600) * 100) / 100,
      cachedMs,
      uncachedMs,
      productPageMs,
      sessionMs,
      http,
    };
  } finally {
    console.log = quiet;
  }
}
