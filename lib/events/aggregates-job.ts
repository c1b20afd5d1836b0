import type { BatchPhase } from "../jobs/batch";

/**
 * The behaviour-aggregates batch: refreshes user_dwell_avg (each person's mean dwell per target
 * type over 7 days). pg_cron runs the same function every 5 minutes where it is installed; this
 * phase is what the embedded schedule, `npm run job -- behaviour-aggregates` and the cron route run.
 */
export const dwellAverageRefreshPhase: BatchPhase = {
  name: "user_dwell_avg",
  total: async () => 1,
  async step(tx) {
    await tx.query("SELECT refresh_user_dwell_avg()");
    return { processed: 1, cursor: null, done: true };
  },
};

/**
 * The events-maintain batch: next months' partitions, raw events past retention (180 days),
 * anonymous events never merged within 30 days, expired receipts and quotas (events_maintain()).
 */
export const eventsMaintainPhase: BatchPhase = {
  name: "events upkeep",
  total: async () => 1,
  async step(tx) {
    await tx.query("SELECT events_maintain()");
    return { processed: 1, cursor: null, done: true };
  },
};
