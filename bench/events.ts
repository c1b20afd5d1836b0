import { randomUUID } from "node:crypto";
import { signAccessToken } from "../lib/auth/tokens";
import { openPostgres } from "../lib/db/postgres";
import type { Db } from "../lib/db/types";
import type { ClientEvent } from "../lib/events/event-schema";
import { ingestEvents } from "../lib/events/ingest";
import { createUser } from "../lib/users/create";
import { measureLiveLag } from "./events-live";
import { pool } from "./lib/pool";
import { summarise, type Latency } from "./lib/stats";

export interface EventsLevel {
  /** ingest = lib/events in process; http = POST /api/v2/events of a running server; row-by-row = one INSERT per event. */
  method: "ingest" | "http" | "row-by-row";
  concurrency: number;
  eventsPerRequest: number;
  requests: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  latencyMs: Latency;
  /** From the answer to the features showing the request's newest event (every 10th request). */
  lagMs: Latency | null;
  errors: Record<string, number>;
}

export interface EventsBenchResult {
  driver: "postgres";
  users: number;
  levels: EventsLevel[];
  /** From a 202 to the live stream's features holding the event (idle server, one person), when measured. */
  liveLagMs: Latency | null;
}

/** A request's events: distinct ids, client times inside the plausible window, newest last. */
function batchOf(request: number, size: number, t0: number): ClientEvent[] {
  return Array.from({ length: size }, (_, j) => ({
    id: randomUUID(),
    kind: j % 3 === 0 ? "dwell" : "view",
    targetType: "person",
    targetId: `t${(request * 7 + j) % 500}`,
    ...(j % 3 === 0 ? { dwellMs: 500 + ((request + j) % 20) * 250 } : {}),
    clientTime: new Date(t0 + request * 200 + j).toISOString(),
  }));
}

async function reset(db: Db): Promise<void> {
  await db.exec(
    "TRUNCATE events, event_receipts, event_quota, behaviour_recent, behaviour_dwell_daily, behaviour_target_counts",
  );
}

/** Waits until the person's last actions hold `at`; returns how long that took. */
async function lagUntilVisible(db: Db, userId: string, at: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const [row] = await db.query<{ seen: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM behaviour_recent r, jsonb_array_elements(r.last_actions) a
                      WHERE r.user_id = $1 AND a->>'at' = $2) AS seen`,
      [userId, at],
    );
    if (row.seen) return performance.now() - t0;
    if (performance.now() - t0 > 30_000) throw new Error("features did not show the event within 30 s");
  }
}

/**
 * Sustained event ingestion on PostgreSQL at concurrency 16 and 64, 100 events per request and 1,
 * in process and (with `serverUrl`) through the HTTP route, beside one INSERT per event; the lag
 * from the answer to the person's features showing the request's newest event.
 */
export async function runEventsBench(
  url: string,
  options: { serverUrl?: string; levels?: number[]; users?: number; events?: number } = {},
): Promise<EventsBenchResult> {
  const usersWanted = options.users ?? 1000;
  const totalEvents = options.events ?? 40_000;
  const setup = openPostgres(url, { max: 2 });
  await setup.exec("TRUNCATE jobs");
  const users = await Promise.all(Array.from({ length: usersWanted }, () => createUser(setup)));
  const tokens = options.serverUrl ? await Promise.all(users.map((u) => signAccessToken(u))) : [];
  await setup.close();

  const levels: EventsLevel[] = [];
  for (const concurrency of options.levels ?? [16, 64]) {
    const db = openPostgres(url, { max: concurrency + 2 });
    try {
      for (const size of [100, 1]) {
        const requests = Math.ceil(Math.min(totalEvents, size === 1 ? 4000 : totalEvents) / size);
        const methods: EventsLevel["method"][] = [
          "ingest",
          ...(options.serverUrl ? ["http" as const] : []),
          "row-by-row",
        ];
        for (const method of methods) {
          if (method === "row-by-row" && size === 1) continue; // the same as one event per request
          await reset(db);
          const t0 = Date.now() - 3600_000;
          const lags: number[] = [];
          const run = await pool(
            Array.from({ length: requests }, (_, i) => i),
            concurrency,
            `${method} x${concurrency}, ${size}/request`,
            async (i) => {
              const userId = users[i % users.length];
              const batch = batchOf(i, size, t0);
              if (method === "ingest") {
                const r = await ingestEvents(db, { userId }, batch);
                if (r.accepted !== size) return `accepted ${r.accepted}`;
              } else if (method === "http") {
                const res = await fetch(`${options.serverUrl}/api/v2/events`, {
                  method: "POST",
                  headers: { authorization: `Bearer ${tokens[i % users.length]}`, "content-type": "application/json" },
                  body: JSON.stringify({ events: batch }),
                });
                const body = (await res.json()) as { accepted?: number };
                if (res.status !== 202) return `HTTP ${res.status}`;
                if (body.accepted !== size) return `accepted ${body.accepted}`;
              } else {
                for (const e of batch) {
                  await db.query(
                    `INSERT INTO events (user_id, event_id, kind, target_type, target_id, value, client_time)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
                    [userId, e.id, e.kind, e.targetType, e.targetId, e.dwellMs ?? null, e.clientTime],
                  );
                }
                return null;
              }
              if (i % 10 === 0) lags.push(await lagUntilVisible(db, userId, batch[batch.length - 1].clientTime));
              return null;
            },
          );
          const events = requests * size;
          levels.push({
            method,
            concurrency,
            eventsPerRequest: size,
            requests,
            events,
            seconds: Math.round(run.ms / 10) / 100,
            eventsPerSecond: Math.round(events / (run.ms / 1000)),
            latencyMs: summarise(run.latencies),
            lagMs: lags.length ? summarise(lags) : null,
            errors: run.errors,
          });
        }
      }
    } finally {
      await db.close();
    }
  }
  const liveLagMs = options.serverUrl ? await measureLiveLag(options.serverUrl, tokens[0]) : null;
  return { driver: "postgres", users: usersWanted, levels, liveLagMs };
}
