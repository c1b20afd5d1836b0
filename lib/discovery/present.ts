import { renderReason } from "./reasons";
import type { DistanceBand, Locale, SharedFavorite, SlateEntry } from "./types";

/** Shared favorites a card shows (the best-rated first). */
export const MAX_SHARED_SHOWN = 3;

/**
 * The coarse band a distance falls in (km; null when unknown or when either side keeps location
 * off). Edges belong to the farther band: 5 km is "5to25".
 */
export function distanceBand(km: number | null): DistanceBand | null {
  if (km === null || !Number.isFinite(km)) return null;
  if (km < 5) return "lt5";
  if (km < 25) return "5to25";
  if (km < 100) return "25to100";
  return "100plus";
}

/**
 * A slate entry as the API shows it: reasons rendered in the viewer's language. Entries cached
 * before covers and bands existed get no covers and an unknown band, never an error.
 */
export function presentEntry(entry: SlateEntry, locale: Locale) {
  const items: SharedFavorite[] =
    entry.sharedFavorites.items ?? entry.sharedFavorites.titles.map((title) => ({ title, coverUrl: null }));
  return {
    userId: entry.userId,
    displayName: entry.displayName,
    score: entry.score,
    reasons: entry.reasons.map((r) => renderReason(r, locale)),
    sharedFavorites: {
      count: entry.sharedFavorites.count,
      titles: entry.sharedFavorites.titles,
      items: items.slice(0, MAX_SHARED_SHOWN),
    },
    distanceBand: entry.distanceBand ?? null,
    explored: entry.explored ?? false,
  };
}
