import { timingSafeEqual } from "node:crypto";
import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { runBatch, type BatchProgress } from "../jobs/batch";
import type { JobContext } from "../jobs/context";
import { isBatchJobName, type CronJobName } from "../jobs/names";
import { drainQueue, type DrainResult } from "../jobs/worker";
import { batchJob } from "./batch-jobs";
import { configuredJobContext } from "./job-context";
import { allJobHandlers } from "./queue-handlers";

/** Vercel's function limit is 30 s here (vercel.json); stop starting chunks well before it. */
export const DEFAULT_CRON_BUDGET_MS = 20_000;

export function cronBudgetMs(env = process.env): number {
  const value = Number(env.CRON_BUDGET_MS);
  return Number.isFinite(value) && value >= 0 && env.CRON_BUDGET_MS ? value : DEFAULT_CRON_BUDGET_MS;
}

/**
 * Vercel Cron sends `Authorization: Bearer $CRON_SECRET`. Without a configured secret every
 * call is refused: an open cron route would let anyone start batch work.
 */
export function requireCronSecret(request: Request, secret = process.env.CRON_SECRET): void {
  const header = request.headers.get("authorization") ?? "";
  const expected = Buffer.from(`Bearer ${secret ?? ""}`);
  const given = Buffer.from(header);
  if (!secret || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, "unauthorized", "cron calls need Authorization: Bearer $CRON_SECRET");
  }
}

export type CronResult =
  | { job: CronJobName; status: "done" | "paused"; runId: number; processed: number; progress: BatchProgress }
  | { job: "worker"; status: "drained" | "paused"; queue: DrainResult };

/**
 * One cron invocation: works on the named batch for at most `budgetMs`, resuming the run an
 * earlier invocation left unfinished ("paused" means call again), or drains the job queue.
 */
export async function runCron(
  db: Db,
  name: CronJobName,
  options: { budgetMs?: number; ctx?: JobContext } = {},
): Promise<CronResult> {
  const ctx = options.ctx ?? configuredJobContext();
  const budgetMs = options.budgetMs ?? DEFAULT_CRON_BUDGET_MS;
  if (isBatchJobName(name)) {
    // A function time limit cannot hold a bulk index build: the cron route always goes per row.
    const outcome = await runBatch(db, batchJob(name, ctx, { bulk: "never" }), { budgetMs });
    return {
      job: name,
      status: outcome.status,
      runId: outcome.runId,
      processed: outcome.processed,
      progress: outcome.progress,
    };
  }
  const started = performance.now();
  const queue = await drainQueue(db, allJobHandlers(ctx, { batchBudgetMs: budgetMs }), { budgetMs });
  const paused = performance.now() - started >= budgetMs;
  return { job: "worker", status: paused ? "paused" : "drained", queue };
}
