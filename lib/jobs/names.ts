/**
 * Names of the batch jobs, and of everything /api/cron/<name> and `npm run job -- <name>` accept
 * (the batches plus `worker`, which drains the queue). Kept free of imports so the HTTP contract
 * in api/ can use them without pulling in the engine.
 */
export const BATCH_JOB_NAMES = [
  "embeddings",
  "taste-vectors",
  "profile-embeddings",
  "traits",
  "media-refresh",
  "ranker-training",
  "behaviour-aggregates",
  "events-maintain",
  "safety-scores",
  "fairness-report",
  "product-recommendations",
  "coverage-report",
  "product-metrics",
  "stream-feeds",
] as const;
export type BatchJobName = (typeof BATCH_JOB_NAMES)[number];

export const CRON_JOB_NAMES = [...BATCH_JOB_NAMES, "worker"] as const;
export type CronJobName = (typeof CRON_JOB_NAMES)[number];

export function isBatchJobName(name: string): name is BatchJobName {
  return (BATCH_JOB_NAMES as readonly string[]).includes(name);
}
