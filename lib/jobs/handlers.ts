import { z } from "zod";
import type { Db } from "../db/types";
import { runBatch } from "./batch";
import type { JobContext } from "./context";
import { enqueueJob } from "./enqueue";
import { reembedUser } from "./reembed-user";
import { BATCH_JOB_NAMES } from "./names";
import { batchJob } from "./registry";
import type { JobHandler } from "./worker";

const reembedPayload = z.object({ userId: z.uuid() });
const batchPayload = z.object({ job: z.enum(BATCH_JOB_NAMES) });

/**
 * The queue kinds this module handles. A `batch` job runs its batch within the budget and, if
 * the batch is not finished, queues itself again, so no single worker call runs unbounded.
 */
export function tasteJobHandlers(
  ctx: JobContext,
  options: { batchBudgetMs?: number } = {},
): { "re-embed-user": JobHandler; batch: JobHandler } {
  return {
    "re-embed-user": async (db: Db, job) => {
      const { userId } = reembedPayload.parse(job.payload);
      await db.transaction((tx) => reembedUser(tx, ctx, userId));
    },
    batch: async (db: Db, job) => {
      const { job: name } = batchPayload.parse(job.payload);
      const outcome = await runBatch(db, batchJob(name, ctx), { budgetMs: options.batchBudgetMs });
      if (outcome.status === "paused") {
        await enqueueJob(db, "batch", { job: name }, { dedupeKey: `batch:${name}` });
      }
    },
  };
}
