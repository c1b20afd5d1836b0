import type { Queryable } from "../db/types";
import { enqueueJob } from "../jobs/enqueue";
import type { BatchJobName } from "../jobs/names";

/**
 * Queues the rest of a batch run that paused at its time budget, for the next queue worker call
 * (every minute through pg_cron -> pg_net, every 2 s in embedded mode) rather than the batch's
 * next scheduled trigger, which is a day or a week away. The dedupe key is the one
 * mesh_cron_dispatch() uses, so a batch is continued by one queued job, never several.
 */
export function queueBatchContinuation(db: Queryable, name: BatchJobName, runId: number): Promise<number> {
  return enqueueJob(db, "batch", { job: name, runId }, { dedupeKey: `batch:${name}` });
}

/**
 * Whether a continuation still has work: a later cron call may have finished the run meanwhile,
 * and running the job then would start a whole new run of the batch.
 */
export async function runStillOpen(db: Queryable, runId: number): Promise<boolean> {
  const [run] = await db.query<{ status: string }>(`SELECT status FROM batch_runs WHERE id = $1`, [runId]);
  return run !== undefined && (run.status === "running" || run.status === "failed");
}
