/** The paths a recommendation can come from, named in the answer's `source` (kept import-free for api/). */
export const recommendationSources = ["personal", "session", "item-to-item", "category", "popular"] as const;
export type RecommendationSource = (typeof recommendationSources)[number];
