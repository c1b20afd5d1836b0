import type { Db } from "../db/types";
import { configuredJobContext } from "../job-registry/job-context";
import { allJobHandlers } from "../job-registry/queue-handlers";
import { drainQueue } from "../jobs/worker";
import { runEmbeddedSchedule } from "./embedded-schedule";
import { log } from "../log";

/**
 * How often the embedded server drains the queue (the pause after one drain ends and the next
 * starts) and how long one drain works: the schedule behind embedded mode's propagation bound.
 */
export const IN_PROCESS_WORKER_INTERVAL_MS = 2_000;
export const IN_PROCESS_WORKER_BUDGET_MS = 10_000;

/**
 * Embedded mode has no pg_cron or Vercel Cron: the server process drains the queue itself every
 * few seconds, so a user's taste vector reflects an import within seconds. Returns a stop function.
 */
export function startInProcessWorker(db: Db, options: { intervalMs?: number; budgetMs?: number } = {}): () => void {
  const budgetMs = options.budgetMs ?? IN_PROCESS_WORKER_BUDGET_MS;
  const handlers = allJobHandlers(configuredJobContext(), { batchBudgetMs: budgetMs });
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      await drainQueue(db, handlers, { budgetMs });
    } catch (err) {
      log.error("in-process worker", err);
    }
    if (!stopped) timer = setTimeout(tick, options.intervalMs ?? IN_PROCESS_WORKER_INTERVAL_MS);
  };
  timer = setTimeout(tick, 0);
  const stopSchedule = startEmbeddedSchedule(db);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    stopSchedule();
  };
}

/**
 * The batches of embedded mode (EMBEDDED_SCHEDULE), checked every five minutes (the shortest
 * cadence, the behaviour aggregates'), the first check five minutes after start so a starting
 * server serves first.
 * MESH_EMBEDDED_SCHEDULE=off turns it off (the browser tests do, to keep their data still).
 */
function startEmbeddedSchedule(db: Db): () => void {
  if (process.env.MESH_EMBEDDED_SCHEDULE === "off") return () => {};
  let stopped = false;
  let lastAnalyzeAt: Date | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pass = async () => {
    const now = new Date();
    try {
      const result = await runEmbeddedSchedule(db, { now, budgetMs: 10_000, lastAnalyzeAt });
      if (result.analyzed) lastAnalyzeAt = now;
      if (result.ran.length) log.info(`embedded schedule: worked on ${result.ran.join(", ")}`);
    } catch (err) {
      log.error("embedded schedule", err);
    }
    if (!stopped) timer = setTimeout(pass, 5 * 60_000);
  };
  timer = setTimeout(pass, 5 * 60_000);
  timer.unref?.();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
