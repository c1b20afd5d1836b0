import {
  featureNames,
  type FeatureVector,
  type FeaturedCandidate,
  type RankerModel,
  type ScoredCandidate,
} from "../types";

/**
 * The prior: hand-set weights used until feedback trains a model (the same numbers are seeded as
 * ranker_models 'prior-v2'; 'prior-v1' had no attention). Taste similarity and shared favorites lead because the product's
 * promise is "people who love what you love"; profile similarity and traits back them up;
 * mutual connections are a strong but sparse signal; proximity, activity and acceptance history
 * only break ties (so a reason is rarely "nearby" when taste says more). The viewer's own attention
 * (profile opens, long looks) lifts a person they keep coming back to, about as much as proximity.
 * Weights sum to 1, so a score is in [0, 1].
 */
export const PRIOR_MODEL: RankerModel = {
  version: "prior-v2",
  bias: 0,
  weights: {
    tasteSimilarity: 0.3,
    profileSimilarity: 0.14,
    sharedFavorites: 0.2,
    traitOverlap: 0.1,
    sharedHobbies: 0.05,
    mutualConnections: 0.1,
    proximity: 0.04,
    recentActivity: 0.02,
    acceptanceRate: 0.01,
    attention: 0.04,
  },
};

/** Reads a ranker_models row; a feature missing from its weights weighs 0. */
export function modelFromRow(row: { version: string; bias: number; weights: unknown }): RankerModel {
  const w = (row.weights ?? {}) as Record<string, unknown>;
  const weights = Object.fromEntries(
    featureNames.map((f) => [f, typeof w[f] === "number" ? (w[f] as number) : 0]),
  ) as FeatureVector;
  return { version: row.version, bias: Number(row.bias) || 0, weights };
}

/** Linear score with exact per-feature contributions (weights x features). */
export function scoreCandidate(model: RankerModel, candidate: FeaturedCandidate): ScoredCandidate {
  const contributions = {} as FeatureVector;
  let modelScore = model.bias;
  for (const f of featureNames) {
    contributions[f] = model.weights[f] * candidate.features[f];
    modelScore += contributions[f];
  }
  return { ...candidate, modelScore, contributions, score: modelScore };
}

/** Scores and orders by score (ties by user id, so a slate is reproducible). */
export function rankCandidates(model: RankerModel, candidates: FeaturedCandidate[]): ScoredCandidate[] {
  return candidates
    .map((c) => scoreCandidate(model, c))
    .sort((a, b) => b.score - a.score || a.raw.userId.localeCompare(b.raw.userId));
}
