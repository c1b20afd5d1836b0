import { metadataFetchersFromEnv } from "../media/fetchers";
import { mediaRefreshJob } from "../media/refresh-job";
import { rankerTrainingPhase } from "../discovery/ranker/training-job";
import { fairnessReportPhase } from "../fairness/exposure-report";
import { coverageReportPhase } from "../discovery/coverage-report";
import { harassmentScoresPhase } from "../safety/harassment-scores";
import type { BatchJob } from "../jobs/batch";
import type { JobContext } from "../jobs/context";
import type { BatchJobName } from "../jobs/names";
import type { BulkMode } from "../taste/bulk-build";
import {
  embeddingsPhase,
  modelPhase,
  projectionsPhase,
  tasteIndexPhase,
  tasteSwapPhase,
  tasteVectorsPhase,
  profileEmbeddingsPhase,
} from "../taste/batch-phases";
import { traitsPhase } from "../traits/batch-phase";
import { nextTitlesPhase } from "../taste/next-titles";
import { productListsPhase, productModelPhase } from "../products/batch-phases";
import { productMetricsPhase } from "../products/metrics";
import { feedRankerPhase, streamModelPhase } from "../streams/feed/batch-phases";
import { hometownModelPhase } from "../streams/hometown-training";
import { dwellAverageRefreshPhase, eventsMaintainPhase } from "../events/aggregates-job";

export { BATCH_JOB_NAMES, isBatchJobName, type BatchJobName } from "../jobs/names";

export interface BatchJobOptions {
  /** Fit a new taste model even if the catalogue has not grown. */
  refit?: boolean;
  /**
   * Taste vectors through the bulk path (build table, one index build, swap): auto for a first
   * build or refit. Time-limited callers (the cron route) say never: an index build over
   * millions of rows is one step that no function time limit allows.
   */
  bulk?: BulkMode;
}

/** The batch jobs callable from `npm run job`, /api/cron/<name> and pg_cron. */
export function batchJob(name: BatchJobName, ctx: JobContext, options: BatchJobOptions = {}): BatchJob {
  switch (name) {
    case "embeddings":
      return { name, chunkSize: 500, phases: [embeddingsPhase(ctx.embeddings)] };
    case "taste-vectors":
      // Embeddings first: titles imported since the last run must be in the model's sample.
      return {
        name,
        chunkSize: 500,
        phases: [
          embeddingsPhase(ctx.embeddings),
          modelPhase(options),
          projectionsPhase,
          tasteVectorsPhase(ctx.now, options.bulk),
          tasteIndexPhase,
          tasteSwapPhase(ctx.now),
          nextTitlesPhase(ctx.now),
        ],
      };
    case "profile-embeddings":
      return { name, chunkSize: 500, phases: [profileEmbeddingsPhase] };
    case "traits":
      // Small chunks: with an LLM provider each user is an HTTP call inside the chunk.
      return { name, chunkSize: 50, phases: [traitsPhase(ctx)] };
    case "ranker-training":
      // Trains on feedback; activates the new version only if held-out AUC is not worse.
      return { name, chunkSize: 1, phases: [rankerTrainingPhase] };
    case "behaviour-aggregates":
      return { name, chunkSize: 1, phases: [dwellAverageRefreshPhase] };
    case "events-maintain":
      return { name, chunkSize: 1, phases: [eventsMaintainPhase] };
    case "safety-scores":
      // Reports and blocks into harassment scores under the anti-brigading rule.
      return { name, chunkSize: 500, phases: [harassmentScoresPhase] };
    case "fairness-report":
      // The past week's exposure per self-declared group (aggregates only).
      return { name, chunkSize: 1, phases: [fairnessReportPhase(ctx.now)] };
    case "product-recommendations":
      // The item model over weighted shop events, then each trained person's daily list.
      return { name, chunkSize: 1000, phases: [productModelPhase(ctx.now), productListsPhase(ctx.now)] };
    case "product-metrics":
      // Seed 000's business metrics: CTR, add-to-cart and conversion per model version and context.
      return { name, chunkSize: 1, phases: [productMetricsPhase(ctx.now)] };
    case "coverage-report":
      // The past week's share of discoverable people shown at least once (counts only).
      return { name, chunkSize: 1, phases: [coverageReportPhase(ctx.now)] };
    case "stream-feeds":
      // The 'streams' item model over watch events, the feed's ranker from watch time, HOMETOWN's learned term.
      return {
        name,
        chunkSize: 1,
        phases: [streamModelPhase(ctx.now), feedRankerPhase(ctx.now), hometownModelPhase(ctx.now)],
      };
    case "media-refresh":
      // The services the environment enables; offline the job says so and does nothing.
      return mediaRefreshJob(metadataFetchersFromEnv(), ctx.now);
  }
}
