import { Rng } from "../../random";
import { FEED_FEATURES, type FeedCandidate, type FeedFeature } from "./features";

/** The feed's length, and its diversity caps. */
export const FEED_SIZE = 30;
export const PER_CREATOR_CAP = 2;
export const CATEGORY_SHARE_CAP = 0.3;
/** The one exploration slot's position (0-based): on the first screen, not first. */
export const EXPLORATION_SLOT = 4;

export interface RankedCandidate {
  candidate: FeedCandidate;
  features: number[];
  score: number;
  terms: number[];
}

export interface FeedItem extends RankedCandidate {
  reason: string;
  explored: boolean;
}

function reasonFor(r: RankedCandidate): string {
  const c = r.candidate;
  let best = -1;
  for (let i = 0; i < r.terms.length; i++) if (r.terms[i] > 0 && (best < 0 || r.terms[i] > r.terms[best])) best = i;
  const name: FeedFeature | null = best < 0 ? null : FEED_FEATURES[best];
  switch (name) {
    case "similar":
      return "Watched by people who watch what you watch";
    case "follows":
      return "From a creator you follow";
    case "pastWatch":
      return `You watched this creator for ${Math.round(c.watchedMinutes)} min`;
    case "popularity":
      return `Popular now: ${c.viewerCount} watching`;
    case "language":
      return `In your language (${c.language})`;
    case "category":
      return `A category you like: ${c.category}`;
    case "freshness":
      return `Just went live (${Math.round(c.liveMinutes)} min ago)`;
    case "quality":
      return "A high-quality stream";
    default:
      return `Live now in ${c.category}`;
  }
}

/**
 * The final list: best score first, at most PER_CREATOR_CAP streams per creator and (when
 * `categoryCap`) at most CATEGORY_SHARE_CAP of the list from one category; then one exploration
 * slot at EXPLORATION_SLOT: a stream the caps and scores left out, drawn with `seed`, preferring
 * one from a source other than similarity and follows (a creator the viewer may not know). Each
 * reason names the strongest term of the score.
 */
export function selectFeed(
  ranked: readonly RankedCandidate[],
  options: { size?: number; categoryCap: boolean; seed: number; exploration?: boolean },
): FeedItem[] {
  const size = options.size ?? FEED_SIZE;
  const maxPerCategory = options.categoryCap ? Math.max(1, Math.floor(size * CATEGORY_SHARE_CAP)) : Infinity;
  const sorted = [...ranked].sort((a, b) => b.score - a.score || (a.candidate.id < b.candidate.id ? -1 : 1));
  const perCreator = new Map<string, number>();
  const perCategory = new Map<string, number>();
  const fits = (c: FeedCandidate) =>
    (perCreator.get(c.creatorId) ?? 0) < PER_CREATOR_CAP && (perCategory.get(c.category) ?? 0) < maxPerCategory;
  const take = (c: FeedCandidate) => {
    perCreator.set(c.creatorId, (perCreator.get(c.creatorId) ?? 0) + 1);
    perCategory.set(c.category, (perCategory.get(c.category) ?? 0) + 1);
  };
  const explore = options.exploration !== false && sorted.length > size;
  const picked: FeedItem[] = [];
  const chosen = new Set<string>();
  for (const r of sorted) {
    if (picked.length >= (explore ? size - 1 : size)) break;
    if (!fits(r.candidate)) continue;
    take(r.candidate);
    chosen.add(r.candidate.id);
    picked.push({ ...r, reason: reasonFor(r), explored: false });
  }
  if (explore) {
    const rest = sorted.filter((r) => !chosen.has(r.candidate.id) && fits(r.candidate));
    const unknown = rest.filter((r) => !r.candidate.followed && r.candidate.similar === 0);
    const pool = unknown.length > 0 ? unknown : rest;
    if (pool.length > 0) {
      const r = new Rng(options.seed).pick(pool);
      picked.splice(Math.min(EXPLORATION_SLOT, picked.length), 0, {
        ...r,
        reason: `Something new for you: ${r.candidate.category}, outside your usual picks`,
        explored: true,
      });
    }
  }
  return picked;
}
