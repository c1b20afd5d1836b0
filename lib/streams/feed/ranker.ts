import { FEED_FEATURES, feedFeatures, type FeedCandidate, type FeedFeature, type FeedViewer } from "./features";
import type { RankedCandidate } from "./select";

/** A stage-2 model: one weight per feature (FEED_FEATURES order) and its version. */
export interface FeedRanker {
  version: string;
  weights: number[];
  /** False for the hand-set default used until a model is trained. */
  trained: boolean;
}

/**
 * The default until watch time trains a model: collaborative similarity, following and past
 * watching lead (the feed's promise is "more of what you watch"), preferred category and language
 * next, audience size, freshness and quality break ties.
 */
export const DEFAULT_FEED_RANKER: FeedRanker = {
  version: "feed-default-v1",
  trained: false,
  weights: FEED_FEATURES.map(
    (f) =>
      ({
        similar: 1,
        popularity: 0.4,
        follows: 1,
        pastWatch: 0.8,
        language: 0.5,
        category: 0.7,
        freshness: 0.2,
        quality: 0.3,
      })[f],
  ),
};

/** The weights as stored: a name per weight, so a reordering of FEED_FEATURES cannot misread them. */
export function rankerFromRow(version: string, stored: unknown): FeedRanker {
  const w = (stored ?? {}) as Record<string, unknown>;
  return {
    version,
    trained: true,
    weights: FEED_FEATURES.map((f) => (typeof w[f] === "number" ? (w[f] as number) : 0)),
  };
}

export function rankerWeightsJson(weights: readonly number[]): Record<FeedFeature, number> {
  return Object.fromEntries(FEED_FEATURES.map((f, i) => [f, Math.round(weights[i] * 1e6) / 1e6])) as Record<
    FeedFeature,
    number
  >;
}

/** w·x and each term's contribution. */
export function scoreFeatures(ranker: FeedRanker, x: readonly number[]): { score: number; terms: number[] } {
  const terms = ranker.weights.map((w, i) => w * x[i]);
  return { score: terms.reduce((s, t) => s + t, 0), terms };
}

/** Features and scores of every candidate under one ranker (features scaled within the list). */
export function rankCandidates(
  ranker: FeedRanker,
  candidates: readonly FeedCandidate[],
  viewer: FeedViewer,
): RankedCandidate[] {
  const maxSimilar = candidates.reduce((m, c) => Math.max(m, c.similar), 0);
  return candidates.map((candidate) => {
    const features = feedFeatures(candidate, viewer, maxSimilar);
    return { candidate, features, ...scoreFeatures(ranker, features) };
  });
}
