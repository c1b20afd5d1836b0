import type { BufferedImpression } from "./impression-buffer";
import type { ImpressionContext, SlatePage } from "./slate-cache";
import type { FeatureVector } from "./types";

/**
 * The impressions of a page served from memory, with the same payload the database paths write
 * (readCachedPage, confirmRememberedPage): model version, score, cached, the features the ranker
 * saw, the exploration mark, and the request's id and experiment.
 */
export function impressionsOf(
  viewerId: string,
  offset: number,
  page: SlatePage,
  features: Record<string, FeatureVector>,
  logged: ImpressionContext,
  at = new Date(),
): BufferedImpression[] {
  return page.items.map((e, i) => ({
    viewerId,
    shownId: e.userId,
    position: offset + i + 1,
    at,
    payload: {
      modelVersion: page.modelVersion,
      score: e.score,
      cached: true,
      ...(features[e.userId] ? { features: features[e.userId] } : {}),
      ...(e.explored ? { explored: e.explored } : {}),
      ...logged,
    },
  }));
}
