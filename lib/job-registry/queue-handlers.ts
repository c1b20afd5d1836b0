import { z } from "zod";
import { connectorSyncHandler } from "../connectors/spotify/queue-handler";
import type { Db } from "../db/types";
import { runBatch } from "../jobs/batch";
import type { JobContext } from "../jobs/context";
import { BATCH_JOB_NAMES } from "../jobs/names";
import type { JobHandler } from "../jobs/worker";
import type { BulkMode } from "../taste/bulk-build";
import { batchJob } from "./batch-jobs";
import { queueBatchContinuation, runStillOpen } from "./batch-continuation";
import { reembedUserHandler } from "./reembed-user";

/** `runId` when the job continues a paused run; without it (pg_cron's dispatch) a run starts or resumes. */
const batchPayload = z.object({ job: z.enum(BATCH_JOB_NAMES), runId: z.number().int().optional() });

/**
 * A `batch` job runs its batch within the budget and, if the batch is not finished, queues
 * itself again, so no single worker call runs unbounded.
 */
function batchHandler(ctx: JobContext, budgetMs: number | undefined, bulk: BulkMode | undefined): JobHandler {
  return async (db: Db, job) => {
    const { job: name, runId } = batchPayload.parse(job.payload);
    if (runId !== undefined && !(await runStillOpen(db, runId))) return;
    const outcome = await runBatch(db, batchJob(name, ctx, { bulk }), { budgetMs });
    if (outcome.status === "paused") await queueBatchContinuation(db, name, outcome.runId);
  };
}

export interface JobHandlerOptions {
  /** How long a `batch` job works before it queues its continuation. */
  batchBudgetMs?: number;
  /** Taste vectors' bulk path: a time-limited worker (the cron route) says never. */
  bulk?: BulkMode;
}

/** Every queue kind the workers (in-process, cron route, command line) handle, by kind. */
export function allJobHandlers(ctx: JobContext, options: JobHandlerOptions = {}): Record<string, JobHandler> {
  return {
    "re-embed-user": reembedUserHandler(ctx),
    batch: batchHandler(ctx, options.batchBudgetMs, options.bulk),
    "connector-sync": connectorSyncHandler,
    "privacy-propagation": reembedUserHandler(ctx, { forceTraits: true }),
  };
}
