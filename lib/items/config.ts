/**
 * The item engine's settings. The model is chosen by catalogue size: EASE holds a dense n x n
 * matrix (8n² bytes: 32 MB at 2,000 items, 80 GB at 100k) and inverts it in O(n³) (1,682 items:
 * 60-300 s on a shared 2-core VM), so above EASE_MAX_ITEMS items with interactions the daily batch
 * fits item-kNN instead (sparse, seconds).
 */
export const EASE_MAX_ITEMS = 2_000;
/** EASE's L2 regularisation for 0/1 interactions (MovieLens 100K: 200 -> NDCG@10 0.449, 500 -> 0.462). */
export const EASE_LAMBDA = 500;
/** Neighbours kept per item: what item-to-item, the cart, sessions and the daily lists read. */
export const NEIGHBOURS_PER_ITEM = 100;
/** Items kept per person in the daily cache. */
export const CACHED_PER_PERSON = 100;
/** A session is this many of the visitor's (or person's) latest events. */
export const SESSION_EVENTS = 20;
/** At most this share of a list from one top-level category (seed 001's cap). */
export const CATEGORY_CAP = 0.3;

export type ItemAlgorithm = "ease" | "item-knn";

export function algorithmFor(items: number): ItemAlgorithm {
  return items <= EASE_MAX_ITEMS ? "ease" : "item-knn";
}
