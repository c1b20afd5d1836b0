import { candidateSimilarity, mmrScore, type DiversityVectors } from "./diversity";
import { poolShares, proportionalPrefixes, repairExposure, restoreGroupOrder } from "./fairness";

/** What slate selection needs to know about a candidate. */
export interface SelectableItem {
  score: number;
  /** Fairness audit group (null: not recorded). */
  group: string | null;
  /** Taste community for the share cap (null: none known). */
  community: string | null;
  vectors?: DiversityVectors;
}

export interface SelectOptions {
  length: number;
  /** 1: order by relevance only (no diversity). */
  lambda: number;
  /** Share of each window of `communityWindow` positions one community may hold (1: no cap). */
  maxCommunityShare: number;
  communityWindow?: number;
  /** null: no fairness step. */
  fairnessTolerance: number | null;
}

/** The window of slate positions the community cap counts over, unless a caller sets another. */
export const COMMUNITY_WINDOW = 10;

/** How many of one community a window may hold: the share of it, at least one. */
export function communityCap(maxShare: number, window: number): number {
  return Math.max(1, Math.floor(maxShare * window));
}

/**
 * Whether one of `community` may take the next position after `placed` (the communities already
 * in the slate, in order): fewer than `cap` of it in the current window of `window`.
 */
export function fitsCommunityCap(
  placed: readonly (string | null)[],
  community: string | null,
  cap: number,
  window: number,
): boolean {
  if (community === null) return true;
  const start = placed.length - (placed.length % window);
  return placed.slice(start).filter((c) => c === community).length < cap;
}

/** Positions where a community holds more than its cap within its window of `window`. */
export function communityCapExcess(slate: readonly SelectableItem[], cap: number, window: number): number {
  let excess = 0;
  for (let start = 0; start < slate.length; start += window) {
    const counts = new Map<string, number>();
    for (const item of slate.slice(start, start + window)) {
      if (item.community !== null) counts.set(item.community, (counts.get(item.community) ?? 0) + 1);
    }
    for (const n of counts.values()) excess += Math.max(0, n - cap);
  }
  return excess;
}

/**
 * MMR diversity: builds the slate position by position, taking the candidate with the best
 * lambda x relevance - (1 - lambda) x max similarity to those already chosen, among candidates
 * whose community has not reached its cap in the current window of 10 (the cap yields when the
 * pool offers nothing else).
 */
export function diversify<T extends SelectableItem>(pool: readonly T[], options: SelectOptions): T[] {
  const window = options.communityWindow ?? COMMUNITY_WINDOW;
  const cap = communityCap(options.maxCommunityShare, window);
  const maxScore = Math.max(0, ...pool.map((c) => c.score));
  const relevance = pool.map((c) => (maxScore > 0 ? c.score / maxScore : 0));
  const maxSimilarity = new Float64Array(pool.length);
  const taken = new Uint8Array(pool.length);
  const slate: T[] = [];
  const length = Math.min(options.length, pool.length);
  for (let rank = 0; rank < length; rank++) {
    const windowCounts = new Map<string, number>();
    for (let k = rank - (rank % window); k < rank; k++) {
      const c = slate[k].community;
      if (c !== null) windowCounts.set(c, (windowCounts.get(c) ?? 0) + 1);
    }
    let pick = -1;
    let pickValue = -Infinity;
    let fallback = -1;
    let fallbackValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      if (taken[i]) continue;
      const value = mmrScore(options.lambda, relevance[i], maxSimilarity[i]);
      const c = pool[i].community;
      if (c === null || (windowCounts.get(c) ?? 0) < cap) {
        if (value > pickValue) [pick, pickValue] = [i, value];
      } else if (value > fallbackValue) [fallback, fallbackValue] = [i, value];
    }
    if (pick < 0) pick = fallback;
    taken[pick] = 1;
    slate.push(pool[pick]);
    if (options.lambda < 1) {
      for (let i = 0; i < pool.length; i++) {
        if (taken[i]) continue;
        const s = candidateSimilarity(pool[pick].vectors, pool[i].vectors);
        if (s > maxSimilarity[i]) maxSimilarity[i] = s;
      }
    }
  }
  return slate;
}

/**
 * The slate: diversity first, then the fairness re-ranking (which has the last word, as it is the
 * measured guarantee) with moves that would break the community cap further vetoed. `pool` is in
 * merit order (score descending).
 */
export function selectSlate<T extends SelectableItem>(pool: readonly T[], options: SelectOptions): T[] {
  const slate = diversify(pool, options);
  if (options.fairnessTolerance === null) return slate;
  const chosen = new Set<T>(slate);
  const window = options.communityWindow ?? COMMUNITY_WINDOW;
  const cap = communityCap(options.maxCommunityShare, window);
  const shares = poolShares(pool.map((c) => c.group));
  const fits = (placed: readonly T[], candidate: T) =>
    fitsCommunityCap(
      placed.map((c) => c.community),
      candidate.community,
      cap,
      window,
    );
  const excess = communityCapExcess(slate, cap, window);
  const spread = proportionalPrefixes(
    slate,
    pool.filter((c) => !chosen.has(c)),
    shares,
    fits,
  );
  const limit = Math.max(excess, communityCapExcess(spread.slate, cap, window));
  const repaired = repairExposure(
    spread.slate,
    spread.bench,
    shares,
    options.fairnessTolerance,
    (next) => communityCapExcess(next, cap, window) <= limit,
  );
  const order = new Map(slate.map((c, i) => [c, i]));
  const merit = new Map(pool.map((c, i) => [c, order.get(c) ?? slate.length + i]));
  const ordered = restoreGroupOrder(repaired, (c) => merit.get(c)!);
  return communityCapExcess(ordered, cap, window) <= limit ? ordered : repaired;
}
