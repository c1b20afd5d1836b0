import type { Queryable } from "../db/types";

/**
 * Kinds of event-driven work the queue carries; the worker in lib/jobs dispatches on these.
 * `batch` runs a named batch job (payload {job}); pg_cron enqueues it on a plain PostgreSQL.
 */
export type JobKind = "re-embed-user" | "connector-sync" | "privacy-propagation" | "batch";

/**
 * Queues work. With a dedupe key, a job of the same kind and key that is still queued is reused
 * instead of adding another (ten quick edits to favorites re-embed the user once).
 */
export async function enqueueJob(
  db: Queryable,
  kind: JobKind,
  payload: Record<string, unknown>,
  options: { dedupeKey?: string; runAfter?: Date } = {},
): Promise<number> {
  const body = JSON.stringify(options.dedupeKey ? { ...payload, dedupeKey: options.dedupeKey } : payload);
  if (options.dedupeKey) {
    const existing = await db.query<{ id: number }>(
      `SELECT id FROM jobs WHERE kind = $1 AND status = 'queued' AND payload ->> 'dedupeKey' = $2 LIMIT 1`,
      [kind, options.dedupeKey],
    );
    if (existing.length) return existing[0].id;
  }
  const rows = await db.query<{ id: number }>(
    `INSERT INTO jobs (kind, payload, run_after) VALUES ($1, $2::text::jsonb, coalesce($3::timestamptz, now())) RETURNING id`,
    [kind, body, options.runAfter ?? null],
  );
  return rows[0].id;
}

/** Queues a user's re-embedding after their favorites or profile changed (many edits, one job). */
export function queueUserReembed(db: Queryable, userId: string): Promise<number> {
  return enqueueJob(db, "re-embed-user", { userId }, { dedupeKey: `re-embed:${userId}` });
}

/**
 * Deletes a user's jobs of one kind that have not started (a privacy switch withdrawing work
 * queued on their behalf). Running jobs are left to their handler, which checks the switch.
 */
export async function dropQueuedJobs(db: Queryable, kind: JobKind, userId: string): Promise<number> {
  const rows = await db.query(
    "DELETE FROM jobs WHERE kind = $1 AND status = 'queued' AND payload ->> 'userId' = $2 RETURNING id",
    [kind, userId],
  );
  return rows.length;
}
