// npm run loadtest -- [--users 5000] [--duration 60] [--gate-duration 20] [--concurrency 16,64]
//                     [--only cached,uncached,mix] [--name load] [--read-url URL] [--profile DIR] [--outage]
// Load from outside: `next start` of the built app (npm run build first) on PostgreSQL with demo
// people, driven by autocannon in this process. The two gates (cached candidates at concurrency
// 32, uncached at 4), then the realistic mix at each concurrency (cached and uncached candidates,
// why, search, favorites, feedback and event writes, an import every few seconds). Per route:
// req/s, p50/p95/p99, errors; server and database CPU; the pool's wait. Writes
// bench/results/<name>.json + .md. LOADTEST_DATABASE_URL (or BENCH_DATABASE_URL, DATABASE_URL)
// names the server; the test works in a database of its own there (mesh_load, or mesh_load_<users>).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { signAccessToken } from "../lib/auth/tokens";
import { migrate } from "../lib/db/migrate";
import { POOL_WAIT_BUCKETS_MS, type PoolStats } from "../lib/db/pool-gate";
import { openPostgres } from "../lib/db/postgres";
import type { Db } from "../lib/db/types";
import { seedDemo } from "../lib/demo/seed";
import { batchJob } from "../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../lib/job-registry/job-context";
import { runBatch } from "../lib/jobs/batch";
import { runMain } from "../scripts/lib/main";
import {
  importLoop,
  MIX,
  runRoute,
  type ImportResult,
  type LoadFixtures,
  type RouteName,
  type RouteResult,
} from "./load-mix";
import { benchDatabase } from "./lib/database";
import { coresBusy, cpuSnapshot, readPoolStats, startBuiltServer, type LoadServer } from "./lib/load-server";
import { writeReport } from "./lib/report";
import { outageRun } from "./load-outage";
import { startThrowawayPostgres, throwawayPostgresAvailable } from "../tests/helpers/throwaway-postgres";

const SECRET = "loadtest-jwt-secret-of-sufficient-length-0123456789";

interface ScenarioResult {
  scenario: string;
  concurrency: number;
  seconds: number;
  routes: RouteResult[];
  imports?: ImportResult;
  /** Cores busy on average: the server's process tree, and every postgres process. */
  cpu: { server: number; postgres: number };
  pool: {
    acquired: number;
    queued: number;
    meanWaitMs: number;
    p95WaitMsAtMost: number | null;
    maxWaitMs: number;
  } | null;
}

function poolDelta(before: PoolStats | null, after: PoolStats | null): ScenarioResult["pool"] {
  if (!after) return null;
  const b = before ?? { acquired: 0, queued: 0, waitMsTotal: 0, buckets: after.buckets.map(() => 0) };
  const acquired = after.acquired - b.acquired;
  const buckets = after.buckets.map((n, i) => n - b.buckets[i]);
  let seen = 0;
  let p95: number | null = null;
  for (let i = 0; i < buckets.length && p95 === null; i++) {
    seen += buckets[i];
    if (seen >= acquired * 0.95) p95 = POOL_WAIT_BUCKETS_MS[i] ?? Infinity;
  }
  return {
    acquired,
    queued: after.queued - b.queued,
    meanWaitMs: Math.round(((after.waitMsTotal - b.waitMsTotal) / Math.max(1, acquired)) * 100) / 100,
    p95WaitMsAtMost: acquired ? p95 : null,
    maxWaitMs: Math.round(after.waitMsMax * 10) / 10,
  };
}

async function prepareDatabase(url: string, users: number): Promise<string> {
  const dbUrl = await benchDatabase(url, users === 5000 ? "mesh_load" : `mesh_load_${users}`);
  const db = openPostgres(dbUrl, { max: 2 });
  try {
    await migrate(db);
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM profiles");
    if (n < users) {
      console.log(`seeding ${users - n} demo people into ${new URL(dbUrl).pathname.slice(1)}`);
      await seedDemo(db, { users: users - n, seed: 7 });
    }
    // The serving path the gates measure needs what the nightly batch makes: without taste and
    // profile vectors every uncached slate would come from the popular-nearby fallback.
    const [{ vectors }] = await db.query<{ vectors: number }>(
      "SELECT count(*)::int AS vectors FROM user_taste_vectors",
    );
    if (vectors === 0) await runServingBatch(db);
  } finally {
    await db.close();
  }
  return dbUrl;
}

async function fixtures(db: Db, baseUrl: string): Promise<LoadFixtures> {
  const ids = (
    await db.query<{ user_id: string }>("SELECT user_id::text FROM profiles ORDER BY user_id LIMIT 4000")
  ).map((r) => r.user_id);
  if (ids.length < 100) throw new Error("the load database has fewer than 100 people");
  const token = (id: string) => signAccessToken(id, { expiresInSeconds: 6 * 3600 });
  const others = ids.slice(1, 201);
  const fresh = ids.slice(201);
  const titles = await db.query<{ title: string; year: number | null }>(
    "SELECT title, year FROM canonical_media WHERE media_type = 'film' ORDER BY id LIMIT 2000",
  );
  return {
    baseUrl,
    cachedToken: await token(ids[0]),
    cachedViewerId: ids[0],
    freshTokens: await Promise.all(fresh.map(token)),
    viewers: await Promise.all(
      others.map(async (id, i) => ({ token: await token(id), targetId: others[(i + 1) % others.length] })),
    ),
    terms: [...new Set(titles.map((t) => t.title.split(" ")[0]).filter((w) => w.length >= 3))].slice(0, 200),
    titles,
  };
}

async function scenario(
  name: string,
  server: LoadServer,
  statsFile: string,
  parts: { route: RouteName; connections: number }[],
  seconds: number,
  importEveryMs?: number,
): Promise<ScenarioResult> {
  const pool0 = readPoolStats(statsFile, "primary");
  const cpu0 = cpuSnapshot(server.pid);
  const t0 = performance.now();
  const until = Date.now() + seconds * 1000;
  const [routes, imports] = await Promise.all([
    Promise.all(parts.map((p) => runRoute(p.route, fix!, p.connections, seconds))),
    importEveryMs ? importLoop(fix!, importEveryMs, until) : Promise.resolve(undefined),
  ]);
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = cpuSnapshot(server.pid);
  await new Promise((r) => setTimeout(r, 1_100)); // the server writes its pool stats every second
  const concurrency = parts.reduce((s, p) => s + p.connections, 0);
  const result: ScenarioResult = {
    scenario: name,
    concurrency,
    seconds,
    routes,
    ...(imports ? { imports } : {}),
    cpu: coresBusy(cpu0, cpu1, wall),
    pool: poolDelta(pool0, readPoolStats(statsFile, "primary")),
  };
  for (const r of routes)
    console.log(
      `${name} c=${concurrency} ${r.route}: ${r.reqPerSec} req/s p50 ${r.latency.p50} p95 ${r.latency.p95} p99 ${r.latency.p99} ms errors ${JSON.stringify(r.errors)}`,
    );
  console.log(`  cpu ${JSON.stringify(result.cpu)} pool ${JSON.stringify(result.pool)}`);
  return result;
}

let fix: LoadFixtures | undefined;

/** The server's environment for a load run: its database, the test's token secret, no rate limits. */
function serverEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    SUPABASE_JWT_SECRET: SECRET,
    MESH_RATE_LIMIT_IP: "100000000",
    MESH_RATE_LIMIT_USER: "100000000",
  };
}

/** The batch jobs serving reads from (title and profile embeddings, taste vectors), with progress. */
async function runServingBatch(db: Db): Promise<void> {
  const ctx = defaultJobContext();
  await db.exec("DELETE FROM jobs"); // the seed's queued re-embeds: the batch does the same for everyone
  for (const name of ["embeddings", "taste-vectors", "profile-embeddings"] as const) {
    const started = performance.now();
    let last = 0;
    await runBatch(db, batchJob(name, ctx), {
      onProgress: (p) => {
        if (performance.now() - last < 5_000) return;
        last = performance.now();
        console.log(`  ${name}: ${p.phaseName} ${p.done}${p.total ? ` / ${p.total}` : ""}`);
      },
    });
    console.log(`batch ${name}: ${Math.round((performance.now() - started) / 1000)} s`);
  }
}

/**
 * --outage: a throwaway cluster (initdb in a temporary directory, its own port; never the shared
 * one), demo people, `next start` on it, then load with the database stopped for 5 s (load-outage.ts).
 */
async function outageMain(users: number, name: string): Promise<void> {
  if (!throwawayPostgresAvailable())
    throw new Error("the outage run needs PostgreSQL's binaries: bash scripts/local-postgres.sh installs them");
  const pg = await startThrowawayPostgres();
  const db = openPostgres(pg.url, { max: 2 });
  let server: LoadServer | undefined;
  try {
    await migrate(db);
    console.log(`seeding ${users} demo people into a throwaway cluster`);
    await seedDemo(db, { users, seed: 7 });
    await runServingBatch(db);
    process.env.SUPABASE_JWT_SECRET = SECRET;
    server = await startBuiltServer({ ...serverEnv(pg.url), MESH_STATEMENT_TIMEOUT_MS: "2000" });
    const f = await fixtures(db, server.url);
    await fetch(`${server.url}/api/v2/discovery/candidates?limit=10`, {
      headers: { authorization: `Bearer ${f.cachedToken}` },
    });
    const result = await outageRun(f, pg, db, { seconds: 30, downAtS: 10, downForS: 5 });
    const md = writeReport({
      name,
      title: `Load through a database outage: next start on a PostgreSQL cluster of its own, ${users.toLocaleString("en")} demo people, stopped ${result.downForS} s`,
      notes: [
        `Concurrency 16 for ${result.seconds} s (cached candidates 8, uncached 2, event writes of 5 events 6); PostgreSQL stopped (pg_ctl stop -m fast) at ${result.downAtS} s and started again ${result.downForS} s later; MESH_STATEMENT_TIMEOUT_MS 2000, autocannon's timeout 15 s.`,
        "answers = every response by status; stale = cached 200s marked stale (served from memory while the database was away); socket / timeout = no answer.",
        `Recovery: the first uncached page answered 200 ${result.recoveredAfterS ?? "never"} s after the restart, with no server restart.`,
        `Writes: ${result.writes.answered} events answered 202, ${result.writes.stored} of them in the database afterwards; ${result.writes.refused} refused with 503, ${result.writes.refusedButStored} of those in the database.`,
      ],
      columns: ["route", "connections", "answers", "slowest ms"],
      rows: result.routes.map((r) => [
        r.route,
        r.connections,
        Object.entries(r.answers)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", "),
        r.maxMs,
      ]),
      data: result,
    });
    console.log(md);
  } finally {
    await server?.stop();
    await db.close().catch(() => {});
    pg.destroy();
  }
}

await runMain("loadtest", async () => {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "5000" },
      duration: { type: "string", default: "60" },
      "gate-duration": { type: "string", default: "20" },
      concurrency: { type: "string", default: "16,64" },
      only: { type: "string", default: "cached,uncached,mix" },
      name: { type: "string", default: "load" },
      "read-url": { type: "string" },
      // The server's CPU profile (node --cpu-prof) into this directory, written when it stops.
      profile: { type: "string" },
      // Instead of the gates and mix: load on a PostgreSQL cluster of its own, stopped for 5 s.
      outage: { type: "boolean", default: false },
    },
  });
  if (values.outage) return outageMain(Number(values.users), values.name === "load" ? "load-outage" : values.name);
  const users = Number(values.users);
  const seconds = Number(values.duration);
  const gateSeconds = Number(values["gate-duration"]);
  const levels = values.concurrency.split(",").map(Number);
  const only = new Set(values.only.split(","));
  const url = process.env.LOADTEST_DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("set LOADTEST_DATABASE_URL (or BENCH_DATABASE_URL, DATABASE_URL) to a PostgreSQL server");
  const dbUrl = await prepareDatabase(url, users);
  process.env.SUPABASE_JWT_SECRET = SECRET;
  const statsFile = join(mkdtempSync(join(tmpdir(), "mesh-load-")), "pool");
  const server = await startBuiltServer(
    {
      ...serverEnv(dbUrl),
      ...(values["read-url"] ? { DATABASE_READ_URL: values["read-url"] } : {}),
      MESH_POOL_STATS_FILE: statsFile,
    },
    values.profile ? ["--cpu-prof", `--cpu-prof-dir=${values.profile}`] : [],
  );
  const db = openPostgres(dbUrl, { max: 2 });
  const results: ScenarioResult[] = [];
  try {
    fix = await fixtures(db, server.url);
    // Warm: the cached viewer's page, and each why target once (compiles routes, fills caches).
    await fetch(`${server.url}/api/v2/discovery/candidates?limit=10`, {
      headers: { authorization: `Bearer ${fix.cachedToken}` },
    });
    await runRoute("why", fix, 4, 3);
    const clearFresh = () => db.query("DELETE FROM slate_cache WHERE viewer_id <> $1", [fix!.cachedViewerId]);
    if (only.has("cached")) {
      // The baseline in the same run: what the framework and our wrapper alone allow at c=32.
      results.push(
        await scenario("baseline: floor", server, statsFile, [{ route: "floor", connections: 32 }], gateSeconds),
      );
      results.push(
        await scenario("gate: cached", server, statsFile, [{ route: "cached", connections: 32 }], gateSeconds),
      );
    }
    if (only.has("uncached")) {
      await clearFresh();
      results.push(
        await scenario("gate: uncached", server, statsFile, [{ route: "uncached", connections: 4 }], gateSeconds),
      );
    }
    if (only.has("mix"))
      for (const c of levels) {
        await clearFresh();
        const parts = (Object.keys(MIX) as (keyof typeof MIX)[]).map((route) => ({
          route,
          connections: Math.max(1, Math.round(c * MIX[route])),
        }));
        results.push(await scenario("mix", server, statsFile, parts, seconds, 3_000));
      }
  } finally {
    await db.close();
    await server.stop();
  }
  const rows = results.flatMap((s) => [
    ...s.routes.map((r) => [
      s.scenario,
      s.concurrency,
      r.route,
      r.connections,
      r.reqPerSec,
      `${r.latency.p50} / ${r.latency.p95} / ${r.latency.p99}`,
      Object.entries(r.errors)
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ") || "0",
      `${s.cpu.server} / ${s.cpu.postgres}`,
      s.pool ? `${s.pool.meanWaitMs} / ≤${s.pool.p95WaitMsAtMost} / ${s.pool.maxWaitMs}` : "-",
    ]),
    ...(s.imports
      ? [
          [
            s.scenario,
            s.concurrency,
            "import (every 3 s)",
            1,
            Math.round((s.imports.imports / s.seconds) * 100) / 100,
            `${s.imports.latency.p50} / ${s.imports.latency.p95} / ${s.imports.latency.p99}`,
            Object.entries(s.imports.errors)
              .map(([k, v]) => `${k}: ${v}`)
              .join(", ") || "0",
            "",
            "",
          ],
        ]
      : []),
  ]);
  const md = writeReport({
    name: values.name,
    title: `Load from outside: next start on PostgreSQL, ${users.toLocaleString("en")} demo people${values["read-url"] ? ", reads on a replica" : ""}`,
    notes: [
      `autocannon in the same process as this script, on the same machine as the server and PostgreSQL (the load tool takes CPU from both). Gates ${gateSeconds} s, mix ${seconds} s per level.`,
      "Each route is a closed loop of its own connections (the mix splits the concurrency: cached 40%, uncached 10%, why 15%, search 10%, favorites 10%, feedback 5%, events 10%); an import of a 20-title Letterboxd CSV every 3 s beside it.",
      "floor (the baseline) = the same route refusing its query with a 400: the rate limits, the token check and validation, no database; what Next.js and the route wrapper cost per request on this machine, the ceiling for any route.",
      "cached = one viewer's first page again and again (served from the process's memory within MESH_PAGE_RECHECK_MS as the same impression, logged once; then checked against the database, which logs the page again); uncached = a different viewer each request, slates cleared before the scenario (cacheHits in the JSON counts any that wrapped around).",
      "CPU = cores busy on average over the run: the server's process tree / every postgres process on the machine (a shared cluster: other sessions' work included).",
      "pool wait = time a statement or transaction waited for one of the server pool's connections (lib/db/pool-gate.ts): mean / p95 (bucket bound) / max ms.",
    ],
    columns: [
      "scenario",
      "c",
      "route",
      "connections",
      "req/s",
      "p50 / p95 / p99 ms",
      "errors",
      "CPU server / pg",
      "pool wait mean / p95 / max ms",
    ],
    rows,
    data: results,
  });
  console.log(md);
});
