import type { Db } from "../db/types";
import type { JobKind } from "./enqueue";
import { log } from "../log";
import { ExternalServiceError } from "../outbound";

export interface QueuedJob {
  id: number;
  kind: JobKind;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

export type JobHandler = (db: Db, job: QueuedJob) => Promise<void>;

/** A job left `running` this long is presumed dead with its worker and is claimed again. */
export const STALE_LOCK_MINUTES = 15;

/** Seconds before retry n (1-based): 30 s, 1 min, 2 min, ... capped at an hour. */
export function backoffSeconds(attempt: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Claims up to `limit` ready jobs of the given kinds. SKIP LOCKED lets several workers (the
 * minute-by-minute pg_cron call, Vercel Cron, the in-process worker, the command line) claim side
 * by side without waiting on or double-taking each other's rows.
 */
export async function claimJobs(db: Db, kinds: JobKind[], limit: number): Promise<QueuedJob[]> {
  const rows = await db.query<{
    id: number;
    kind: JobKind;
    payload: Record<string, unknown>;
    attempts: number;
    max_attempts: number;
  }>(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_at = now(), updated_at = now()
     WHERE id IN (
       SELECT id FROM jobs
       WHERE kind = ANY($1::text[])
         AND ((status = 'queued' AND run_after <= now())
              OR (status = 'running' AND locked_at < now() - make_interval(mins => $3)))
       ORDER BY run_after, id LIMIT $2
       FOR UPDATE SKIP LOCKED)
     RETURNING id, kind, payload, attempts, max_attempts`,
    [kinds, limit, STALE_LOCK_MINUTES],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
  }));
}

export async function completeJob(db: Db, id: number): Promise<void> {
  await db.query(
    `UPDATE jobs SET status = 'done', locked_at = NULL, last_error = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
}

/** Requeues with back-off, or moves the job to the dead letter (`dead`) after its last attempt. */
export async function failJob(db: Db, job: QueuedJob, err: unknown): Promise<"queued" | "dead"> {
  const message = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);
  const dead = job.attempts >= job.maxAttempts;
  await db.query(
    `UPDATE jobs SET status = $2, last_error = $3, locked_at = NULL, updated_at = now(),
       run_after = CASE WHEN $2 = 'queued' THEN now() + make_interval(secs => $4) ELSE run_after END
     WHERE id = $1`,
    [job.id, dead ? "dead" : "queued", message, backoffSeconds(job.attempts)],
  );
  return dead ? "dead" : "queued";
}

/**
 * An external service was down or its breaker open: the job goes back to the queue for later, at
 * the later of its back-off and the service's own Retry-After (or breaker cool-down), and is never
 * dead-lettered for it (the service's outage is not the job's fault). Answers the seconds to wait.
 */
export async function deferJob(db: Db, job: QueuedJob, err: ExternalServiceError): Promise<number> {
  const seconds = Math.max(backoffSeconds(job.attempts), err.retryAfterSeconds ?? 0);
  await db.query(
    `UPDATE jobs SET status = 'queued', last_error = $2, locked_at = NULL, updated_at = now(),
       run_after = now() + make_interval(secs => $3),
       max_attempts = greatest(max_attempts, attempts + 1)
     WHERE id = $1`,
    [job.id, `${err.service} unavailable, retrying in ${seconds} s: ${err.message}`.slice(0, 500), seconds],
  );
  return seconds;
}

export interface DrainResult {
  done: number;
  retried: number;
  dead: number;
}

/**
 * Works the queue until it is empty (of ready jobs it can handle), `maxJobs` have run, or the
 * budget is spent. Logs job ids and kinds only: payloads carry user ids.
 */
export async function drainQueue(
  db: Db,
  handlers: Partial<Record<JobKind, JobHandler>>,
  options: { maxJobs?: number; budgetMs?: number; batchSize?: number } = {},
): Promise<DrainResult> {
  const started = performance.now();
  const kinds = Object.keys(handlers) as JobKind[];
  const result: DrainResult = { done: 0, retried: 0, dead: 0 };
  const max = options.maxJobs ?? Infinity;
  while (result.done + result.retried + result.dead < max) {
    if (options.budgetMs !== undefined && performance.now() - started >= options.budgetMs) break;
    const room = max - (result.done + result.retried + result.dead);
    const jobs = await claimJobs(db, kinds, Math.min(options.batchSize ?? 10, room));
    if (!jobs.length) break;
    for (const job of jobs) {
      try {
        await handlers[job.kind]!(db, job);
        await completeJob(db, job.id);
        result.done++;
      } catch (err) {
        if (err instanceof ExternalServiceError) {
          const seconds = await deferJob(db, job, err);
          log.error(`job ${job.id} (${job.kind}): ${err.service} unavailable, retrying in ${seconds} s`, err);
          result.retried++;
          continue;
        }
        const outcome = await failJob(db, job, err);
        log.error(
          `job ${job.id} (${job.kind}) failed on attempt ${job.attempts}, ${outcome === "dead" ? "dead-lettered" : "will retry"}`,
          err,
        );
        if (outcome === "dead") result.dead++;
        else result.retried++;
      }
    }
  }
  return result;
}
