import { z } from "zod";
import { connectorSyncHandler } from "../connectors/spotify/queue-handler";
import type { Db } from "../db/types";
import { runBatch } from "../jobs/batch";
import type { JobContext } from "../jobs/context";
import { enqueueJob } from "../jobs/enqueue";
import { BATCH_JOB_NAMES } from "../jobs/names";
import type { JobHandler } from "../jobs/worker";
import { batchJob } from "./batch-jobs";
import { reembedUserHandler } from "./reembed-user";

const batchPayload = z.object({ job: z.enum(BATCH_JOB_NAMES) });

/**
 * A `batch` job runs its batch within the budget and, if the batch is not finished, queues
 * itself again, so no single worker call runs unbounded.
 */
function batchHandler(ctx: JobContext, budgetMs: number | undefined): JobHandler {
  return async (db: Db, job) => {
    const { job: name } = batchPayload.parse(job.payload);
    const outcome = await runBatch(db, batchJob(name, ctx), { budgetMs });
    if (outcome.status === "paused") {
      await enqueueJob(db, "batch", { job: name }, { dedupeKey: `batch:${name}` });
    }
  };
}

/** Every queue kind the workers (in-process, cron route, command line) handle, by kind. */
export function allJobHandlers(ctx: JobContext, options: { batchBudgetMs?: number } = {}): Record<string, JobHandler> {
  return {
    "re-embed-user": reembedUserHandler(ctx),
    batch: batchHandler(ctx, options.batchBudgetMs),
    "connector-sync": connectorSyncHandler,
    "privacy-propagation": reembedUserHandler(ctx, { forceTraits: true }),
  };
}
