/** Where a stage-1 candidate came from (a candidate can come from several). */
export type CandidateSource = "similar" | "trending" | "followed" | "watched";

/** A live stream as stage 1 hands it to the ranker. */
export interface FeedCandidate {
  id: string;
  creatorId: string;
  title: string;
  category: string;
  language: string;
  city: string;
  viewerCount: number;
  qualityScore: number;
  /** Minutes since it went live. */
  liveMinutes: number;
  /** The item engine's score for the stream's creator from the viewer's watch history (0 if none). */
  similar: number;
  followed: boolean;
  /** Minutes the viewer watched this creator in the training window. */
  watchedMinutes: number;
  sources: CandidateSource[];
}

export interface FeedViewer {
  language: string;
  categories: string[];
}

/** The ranker's features, in the order of every weight vector. Each is in [0, 1]. */
export const FEED_FEATURES = [
  "similar",
  "popularity",
  "follows",
  "pastWatch",
  "language",
  "category",
  "freshness",
  "quality",
] as const;
export type FeedFeature = (typeof FEED_FEATURES)[number];

/** log(1 + viewers) over log(1 + this): 1 for the biggest audiences. */
const VIEWERS_CEILING = 50_000;
/** An hour of a creator watched makes past-watch affinity 1. */
const WATCH_CEILING_MIN = 60;
/** Freshness halves every this many minutes live. */
const FRESH_HALF_LIFE_MIN = 60;

/**
 * The features of one candidate: the candidate generator's score (scaled by the best in the
 * list, `maxSimilar`), log viewer count, follows, past watch of the creator, language match,
 * preferred category, freshness (minutes live) and quality.
 */
export function feedFeatures(c: FeedCandidate, v: FeedViewer, maxSimilar: number): number[] {
  const f: Record<FeedFeature, number> = {
    similar: maxSimilar > 0 ? Math.min(1, c.similar / maxSimilar) : 0,
    popularity: Math.min(1, Math.log1p(c.viewerCount) / Math.log1p(VIEWERS_CEILING)),
    follows: c.followed ? 1 : 0,
    pastWatch: Math.min(1, c.watchedMinutes / WATCH_CEILING_MIN),
    language: c.language === v.language ? 1 : 0,
    category: v.categories.includes(c.category) ? 1 : 0,
    freshness: 0.5 ** (Math.max(0, c.liveMinutes) / FRESH_HALF_LIFE_MIN),
    quality: Math.max(0, Math.min(1, c.qualityScore)),
  };
  return FEED_FEATURES.map((name) => Math.round(f[name] * 1e4) / 1e4);
}
