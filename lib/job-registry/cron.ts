import type { Db } from "../db/types";
import { runBatch, type BatchProgress } from "../jobs/batch";
import type { JobContext } from "../jobs/context";
import { isBatchJobName, type CronJobName } from "../jobs/names";
import { drainQueue, type DrainResult } from "../jobs/worker";
import { batchJob } from "./batch-jobs";
import { queueBatchContinuation } from "./batch-continuation";
import { configuredJobContext } from "./job-context";
import { allJobHandlers } from "./queue-handlers";

/** Vercel's function limit is 30 s here (vercel.json); stop starting chunks well before it. */
export const DEFAULT_CRON_BUDGET_MS = 20_000;

export function cronBudgetMs(env = process.env): number {
  const value = Number(env.CRON_BUDGET_MS);
  return Number.isFinite(value) && value >= 0 && env.CRON_BUDGET_MS ? value : DEFAULT_CRON_BUDGET_MS;
}

export type CronResult =
  | { job: CronJobName; status: "done" | "paused"; runId: number; processed: number; progress: BatchProgress }
  | { job: "worker"; status: "drained" | "paused"; queue: DrainResult };

/**
 * One cron invocation: works on the named batch for at most `budgetMs`, resuming the run an
 * earlier invocation left unfinished, or drains the job queue. A batch that pauses queues its
 * continuation, so the queue worker carries on with it instead of the next day's trigger.
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
    if (outcome.status === "paused") await queueBatchContinuation(db, name, outcome.runId);
    return {
      job: name,
      status: outcome.status,
      runId: outcome.runId,
      processed: outcome.processed,
      progress: outcome.progress,
    };
  }
  const started = performance.now();
  const queue = await drainQueue(db, allJobHandlers(ctx, { batchBudgetMs: budgetMs, bulk: "never" }), { budgetMs });
  const paused = performance.now() - started >= budgetMs;
  return { job: "worker", status: paused ? "paused" : "drained", queue };
}
