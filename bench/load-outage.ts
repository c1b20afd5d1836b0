import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import type { Db } from "../lib/db/types";
import type { ThrowawayPostgres } from "../tests/helpers/throwaway-postgres";
import type { LoadFixtures } from "./load-mix";

/** One route's answers while the database went away and came back. */
export interface OutageRoute {
  route: "cached" | "uncached" | "events";
  connections: number;
  /** Answers by status ("stale" counts cached 200s marked stale), plus socket errors and timeouts. */
  answers: Record<string, number>;
  /** The slowest answer (ms): nothing may hang past the route's timeout. */
  maxMs: number;
  /** Answers slower than 2 s: when they were sent (s into the run), their status and time. */
  slow: { sentAtS: number; status: number; ms: number }[];
}

export interface OutageResult {
  seconds: number;
  downAtS: number;
  downForS: number;
  routes: OutageRoute[];
  /** Seconds from the database's restart to the first uncached page answered 200 again. */
  recoveredAfterS: number | null;
  /** Event ids answered 202 (must all be stored) and answered 503 (must all be absent). */
  writes: { answered: number; stored: number; refused: number; refusedButStored: number };
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

function run(
  route: OutageRoute["route"],
  f: LoadFixtures,
  connections: number,
  seconds: number,
  events: { answered: string[]; refused: string[] },
  clock: { restartedAt: number; firstUncachedOk: number },
): Promise<OutageRoute> {
  const answers: Record<string, number> = {};
  let maxMs = 0;
  const slow: OutageRoute["slow"] = [];
  const started = performance.now();
  const count = (k: string) => (answers[k] = (answers[k] ?? 0) + 1);
  let i = 0;
  const request: autocannon.Request =
    route === "cached"
      ? {
          method: "GET",
          path: "/api/v2/discovery/candidates?limit=10",
          headers: auth(f.cachedToken),
          onResponse: (status, body) => {
            if (status === 200 && body.includes('"stale":true')) count("stale");
          },
        }
      : route === "uncached"
        ? {
            method: "GET",
            path: "/api/v2/discovery/candidates?limit=10",
            setupRequest: (r) => ({ ...r, headers: auth(f.freshTokens[i++ % f.freshTokens.length]) }),
          }
        : {
            method: "POST",
            path: "/api/v2/events",
            // Each connection has one request in flight: its context holds that request's event ids.
            setupRequest: (r, context) => {
              const v = f.viewers[i++ % f.viewers.length];
              const ids = Array.from({ length: 5 }, () => randomUUID());
              (context as { ids?: string[] }).ids = ids;
              const batch = ids.map((id) => ({
                id,
                kind: "open_profile",
                targetType: "person",
                targetId: v.targetId,
                clientTime: new Date().toISOString(),
              }));
              return {
                ...r,
                headers: { ...auth(v.token), "content-type": "application/json" },
                body: JSON.stringify({ events: batch }),
              };
            },
            onResponse: (status, _body, context) => {
              const ids = (context as { ids?: string[] }).ids ?? [];
              if (status === 202 || status === 200) events.answered.push(...ids);
              else if (status === 503) events.refused.push(...ids);
            },
          };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: f.baseUrl, connections, duration: seconds, timeout: 15, requests: [request] },
      (err, result) => {
        if (err) return reject(err);
        if (result.errors) answers.socket = result.errors;
        if (result.timeouts) answers.timeout = result.timeouts;
        resolve({ route, connections, answers, maxMs: Math.round(maxMs), slow });
      },
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      count(String(status));
      maxMs = Math.max(maxMs, ms);
      if (ms > 2_000)
        slow.push({ sentAtS: Math.round((performance.now() - ms - started) / 100) / 10, status, ms: Math.round(ms) });
      if (route === "uncached" && status === 200 && clock.restartedAt && !clock.firstUncachedOk)
        clock.firstUncachedOk = performance.now();
    });
  });
}

/**
 * Load at concurrency 16 (cached 8, uncached 2, event writes 6) for `seconds`, with the database
 * stopped at `downAtS` for `downForS`: every answer is counted by status, the slowest is kept,
 * recovery is timed, and every event answered 202 is looked for in the database afterwards (and
 * every one refused with 503 is looked for too: none may be there).
 */
export async function outageRun(
  f: LoadFixtures,
  pg: ThrowawayPostgres,
  db: Db,
  opts: { seconds: number; downAtS: number; downForS: number },
): Promise<OutageResult> {
  const events = { answered: [] as string[], refused: [] as string[] };
  const clock = { restartedAt: 0, firstUncachedOk: 0 };
  const outage = (async () => {
    await new Promise((r) => setTimeout(r, opts.downAtS * 1000));
    console.log("outage: stopping PostgreSQL");
    pg.stop();
    await new Promise((r) => setTimeout(r, opts.downForS * 1000));
    pg.start();
    clock.restartedAt = performance.now();
    console.log("outage: PostgreSQL started again");
  })();
  const routes = await Promise.all([
    run("cached", f, 8, opts.seconds, events, clock),
    run("uncached", f, 2, opts.seconds, events, clock),
    run("events", f, 6, opts.seconds, events, clock),
  ]);
  await outage;
  const recoveredAfterS = clock.firstUncachedOk
    ? Math.round((clock.firstUncachedOk - clock.restartedAt) / 100) / 10
    : null;
  const stored = async (ids: string[]) =>
    ids.length === 0
      ? 0
      : (
          await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE event_id = ANY($1::uuid[])`, [ids])
        )[0].n;
  return {
    seconds: opts.seconds,
    downAtS: opts.downAtS,
    downForS: opts.downForS,
    routes,
    recoveredAfterS,
    writes: {
      answered: events.answered.length,
      stored: await stored(events.answered),
      refused: events.refused.length,
      refusedButStored: await stored(events.refused),
    },
  };
}
