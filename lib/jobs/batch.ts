import type { Db, DriverKind, Queryable } from "../db/types";

/** One chunk's outcome: how many items it handled, where the next chunk starts, and whether the phase is over. */
export interface BatchStepResult {
  processed: number;
  cursor: string | null;
  done: boolean;
}

/** A stage of a batch job (e.g. "fit model", then "users"), worked through in keyset chunks. */
export interface BatchPhase {
  name: string;
  /** Items this phase expects to handle (for progress and ETA), computed when the phase starts. */
  total(db: Queryable): Promise<number>;
  /**
   * Handles up to `limit` items after `cursor`, inside the chunk's transaction (`kind` for the
   * few steps that tune the server, such as an index build).
   */
  step(tx: Queryable, cursor: string | null, limit: number, kind: DriverKind): Promise<BatchStepResult>;
}

export interface BatchJob {
  name: string;
  chunkSize: number;
  phases: BatchPhase[];
}

/** What batch_runs.progress holds; enough to resume at the next chunk. */
export interface BatchProgress {
  phase: number;
  phaseName: string;
  cursor: string | null;
  done: number;
  total: number | null;
  chunks: number;
}

export interface RunBatchOptions {
  /** Stop after the chunk during which this many ms have passed (a cron's time limit); resume next call. */
  budgetMs?: number;
  chunkSize?: number;
  onProgress?: (progress: BatchProgress) => void;
  /** Called after each committed chunk. Tests throw here to kill a run midway. */
  afterChunk?: (progress: BatchProgress) => void | Promise<void>;
}

export interface BatchOutcome {
  runId: number;
  status: "done" | "paused";
  /** Chunks and items this invocation handled (not counting earlier invocations of the run). */
  chunks: number;
  processed: number;
  progress: BatchProgress;
}

function initialProgress(job: BatchJob): BatchProgress {
  return { phase: 0, phaseName: job.phases[0]?.name ?? "", cursor: null, done: 0, total: null, chunks: 0 };
}

/**
 * The run to work on: the job's unfinished run (running, or failed and so resumed), else a new
 * one. The partial unique index on batch_runs keeps two callers from starting two runs.
 */
async function openRun(db: Db, job: BatchJob): Promise<number> {
  const [current] = await db.query<{ id: number; status: string }>(
    `SELECT id, status FROM batch_runs WHERE job = $1 AND status IN ('running', 'failed')
     ORDER BY (status = 'running') DESC, id DESC LIMIT 1`,
    [job.name],
  );
  if (current?.status === "running") return Number(current.id);
  if (current) {
    const resumed = await db.query<{ id: number }>(
      `UPDATE batch_runs SET status = 'running', error = NULL WHERE id = $1 AND status = 'failed'
         AND NOT EXISTS (SELECT 1 FROM batch_runs WHERE job = $2 AND status = 'running')
       RETURNING id`,
      [current.id, job.name],
    );
    if (resumed.length) return Number(resumed[0].id);
  } else {
    const created = await db.query<{ id: number }>(
      `INSERT INTO batch_runs (job, progress) VALUES ($1, $2::text::jsonb)
       ON CONFLICT (job) WHERE status = 'running' DO NOTHING RETURNING id`,
      [job.name, JSON.stringify(initialProgress(job))],
    );
    if (created.length) return Number(created[0].id);
  }
  // Someone else opened or resumed a run at the same moment: work on that one.
  const [running] = await db.query<{ id: number }>(
    `SELECT id FROM batch_runs WHERE job = $1 AND status = 'running' ORDER BY id DESC LIMIT 1`,
    [job.name],
  );
  if (!running) throw new Error(`batch ${job.name}: could not open a run`);
  return Number(running.id);
}

/**
 * Runs (or resumes) a batch job chunk by chunk. Each chunk is one transaction that locks the
 * run's row, does the work and records the new cursor, so a run killed at any point resumes at
 * the first unfinished chunk, never redoing a committed one, and two concurrent invocations take
 * turns instead of repeating each other's work.
 */
export async function runBatch(db: Db, job: BatchJob, options: RunBatchOptions = {}): Promise<BatchOutcome> {
  const started = performance.now();
  const chunkSize = options.chunkSize ?? job.chunkSize;
  const runId = await openRun(db, job);
  let chunks = 0;
  let processed = 0;
  let progress = initialProgress(job);
  try {
    for (;;) {
      const step = await db.transaction(async (tx) => {
        // A chunk is bounded by its size and the caller's budget, not by the request statement
        // timeout of the server's pool (an index build or a model fit may take longer).
        if (db.kind === "postgres") await tx.query("SET LOCAL statement_timeout = 0");
        const [run] = await tx.query<{ status: string; progress: BatchProgress }>(
          `SELECT status, progress FROM batch_runs WHERE id = $1 FOR UPDATE`,
          [runId],
        );
        const p: BatchProgress = { ...initialProgress(job), ...run.progress };
        if (run.status !== "running") return { p, finished: true, handled: 0 };
        const phase = job.phases[p.phase];
        if (!phase) {
          await tx.query(`UPDATE batch_runs SET status = 'done', finished_at = now() WHERE id = $1`, [runId]);
          return { p, finished: true, handled: 0 };
        }
        if (p.total === null) p.total = await phase.total(tx);
        const result = await phase.step(tx, p.cursor, chunkSize, db.kind);
        const next: BatchProgress = result.done
          ? {
              phase: p.phase + 1,
              phaseName: job.phases[p.phase + 1]?.name ?? "done",
              cursor: null,
              done: 0,
              total: null,
              chunks: p.chunks + 1,
            }
          : { ...p, cursor: result.cursor, done: p.done + result.processed, chunks: p.chunks + 1 };
        await tx.query(`UPDATE batch_runs SET progress = $2::text::jsonb WHERE id = $1`, [runId, JSON.stringify(next)]);
        // Report the finished phase as complete before moving on, so a bar reaches its total.
        const shown = result.done ? { ...p, done: p.done + result.processed, cursor: result.cursor } : next;
        return { p: shown, finished: false, handled: result.processed };
      });
      progress = step.p;
      if (step.finished) return { runId, status: "done", chunks, processed, progress };
      chunks++;
      processed += step.handled;
      options.onProgress?.(progress);
      await options.afterChunk?.(progress);
      if (options.budgetMs !== undefined && performance.now() - started >= options.budgetMs) {
        return { runId, status: "paused", chunks, processed, progress };
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db
      .query(`UPDATE batch_runs SET status = 'failed', error = $2 WHERE id = $1 AND status = 'running'`, [
        runId,
        message.slice(0, 500),
      ])
      .catch(() => {});
    throw err;
  }
}

/** The latest run of a job, for status pages and the cron route's answer. */
export async function latestRun(
  db: Queryable,
  job: string,
): Promise<{ id: number; status: string; progress: BatchProgress } | null> {
  const [row] = await db.query<{ id: number; status: string; progress: BatchProgress }>(
    `SELECT id, status, progress FROM batch_runs WHERE job = $1 ORDER BY id DESC LIMIT 1`,
    [job],
  );
  return row ? { ...row, id: Number(row.id) } : null;
}
