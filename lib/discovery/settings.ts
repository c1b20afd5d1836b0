/** Tunables of the discovery pipeline, in one place so tests and the eval can override them. */
export interface DiscoverySettings {
  /** Neighbours taken from the taste ANN and from the profile-embedding ANN. */
  tasteK: number;
  profileK: number;
  /** Size of the popular + nearby fallback, per source. */
  fallbackK: number;
  /** MMR trade-off: 1 is pure relevance; the issue requires >= 0.3 (at most 70% diversity). */
  mmrLambda: number;
  /** No taste community above this share of a slate, unless the pool offers nothing else. */
  maxCommunityShare: number;
  /** Allowed relative deviation of a group's exposure share from its pool share (0.1 = +/-10%). */
  fairnessTolerance: number;
  /** Reported users' scores are multiplied by this once per distinct report (at most 3 times). */
  reportPenalty: number;
  /** Slates are computed at least this long, so the next pages are usually cached too. */
  minSlateLength: number;
  slateTtlSeconds: number;
  /** Chance that each slate position after the first is an exploration slot (lib/discovery/explore.ts). */
  explorationRate: number;
  /** Fixes exploration's draws (evaluation); null draws afresh per slate. */
  explorationSeed: number | null;
  /**
   * Choose the slate's people together, for the titles their favorites point the viewer to
   * (lib/discovery/vote-set.ts), when the viewer has next titles; false keeps the ranker's order.
   */
  voteSet: boolean;
  /**
   * The first page: the closest twins (ranker, MMR), before the vote set chooses the rest. On the
   * planted communities a vote set from the first card on dropped NDCG@10 from 0.36 to 0.16 (it
   * passes over twins whose favorites the viewer already has); pinned, 0.389, with MovieLens at
   * 1.100x cosine (eval/results).
   */
  voteSetPinned: number;
}

export const defaultSettings: DiscoverySettings = {
  tasteK: 200,
  // 150, not the first wave's 300: the pool's size drives every per-candidate cost of an uncached
  // slate (facts, ranking, MMR). Measured 2026-11-29: uncached p95 at c=4, 100k people, ~240 ->
  // ~188 ms; planted-eval NDCG@10 of the full pipeline 0.359 -> 0.368 and ml-100k served 0.349 ->
  // 0.350 (both within run-to-run noise).
  profileK: 150,
  fallbackK: 150,
  mmrLambda: 0.7,
  maxCommunityShare: 0.3,
  fairnessTolerance: 0.1,
  reportPenalty: 0.7,
  minSlateLength: 50,
  slateTtlSeconds: 600,
  explorationRate: 0,
  explorationSeed: null,
  voteSet: true,
  voteSetPinned: 10,
};

export const MIN_MMR_LAMBDA = 0.3;

/** Merges overrides and checks the bounds the issue sets. */
export function resolveSettings(overrides: Partial<DiscoverySettings> = {}): DiscoverySettings {
  const s = { ...defaultSettings, ...overrides };
  if (!(s.mmrLambda >= MIN_MMR_LAMBDA && s.mmrLambda <= 1)) {
    throw new RangeError(`mmrLambda must be between ${MIN_MMR_LAMBDA} and 1`);
  }
  if (!(s.maxCommunityShare > 0 && s.maxCommunityShare <= 1)) throw new RangeError("maxCommunityShare in (0, 1]");
  if (!(s.explorationRate >= 0 && s.explorationRate <= 1)) throw new RangeError("explorationRate in [0, 1]");
  return s;
}
