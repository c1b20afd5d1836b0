import type { Db } from "../db/types";
import { log } from "../log";
import { runCron } from "../job-registry/cron";
import type { JobContext } from "../jobs/context";
import type { BatchJobName } from "../jobs/names";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The embedded mode's stand-in for pg_cron and Vercel Cron: the same batches at the same cadence
 * (nightly embeddings, taste vectors and media refresh, daily profile embeddings, safety scores
 * and events upkeep, weekly traits, the fairness and coverage reports, ranker training every 30 minutes, the
 * 5-minute behaviour aggregates). Cadences rather than clock times: a laptop is rarely on at 2 AM.
 */
export const EMBEDDED_SCHEDULE: readonly { job: BatchJobName; everyMs: number }[] = [
  { job: "media-refresh", everyMs: DAY },
  { job: "embeddings", everyMs: DAY },
  { job: "taste-vectors", everyMs: DAY },
  { job: "profile-embeddings", everyMs: DAY },
  { job: "traits", everyMs: 7 * DAY },
  { job: "ranker-training", everyMs: 30 * MINUTE },
  { job: "behaviour-aggregates", everyMs: 5 * MINUTE },
  { job: "events-maintain", everyMs: DAY },
  { job: "safety-scores", everyMs: DAY },
  { job: "fairness-report", everyMs: 7 * DAY },
  { job: "product-recommendations", everyMs: DAY },
  { job: "coverage-report", everyMs: 7 * DAY },
  { job: "product-metrics", everyMs: DAY },
  { job: "stream-feeds", everyMs: DAY },
];

/**
 * The scheduled batches that should run now: never run, left unfinished (a run in progress resumes
 * where it stopped), or last started a whole period ago. A failed run waits for its next period
 * rather than failing again every minute.
 */
export async function dueBatchJobs(db: Db, now: Date): Promise<BatchJobName[]> {
  const rows = await db.query<{ job: string; status: string; started_at: Date | string }>(
    `SELECT DISTINCT ON (job) job, status, started_at FROM batch_runs
     WHERE job = ANY($1::text[]) ORDER BY job, started_at DESC, id DESC`,
    [EMBEDDED_SCHEDULE.map((s) => s.job)],
  );
  const latest = new Map(rows.map((r) => [r.job, r]));
  return EMBEDDED_SCHEDULE.filter(({ job, everyMs }) => {
    const last = latest.get(job);
    if (!last || last.status === "running") return true;
    return now.getTime() - new Date(last.started_at).getTime() >= everyMs;
  }).map((s) => s.job);
}

/**
 * One pass of the schedule: works on each due batch for at most `budgetMs` (an unfinished batch
 * resumes on the next pass), then refreshes planner statistics once a day, since PGlite has no
 * autovacuum. Returns the jobs it worked on. Errors are logged per job and never stop the others.
 */
export async function runEmbeddedSchedule(
  db: Db,
  options: { now: Date; budgetMs: number; ctx?: JobContext; lastAnalyzeAt?: Date | null },
): Promise<{ ran: BatchJobName[]; analyzed: boolean }> {
  const ran: BatchJobName[] = [];
  for (const job of await dueBatchJobs(db, options.now)) {
    try {
      await runCron(db, job, { budgetMs: options.budgetMs, ctx: options.ctx });
      ran.push(job);
    } catch (err) {
      log.error(`embedded schedule: ${job} failed`, err);
    }
  }
  const analyzeDue = !options.lastAnalyzeAt || options.now.getTime() - options.lastAnalyzeAt.getTime() >= DAY;
  if (analyzeDue) await db.exec("ANALYZE");
  return { ran, analyzed: analyzeDue };
}
