import { renderReason } from "./reasons";
import type { Locale, SlateEntry } from "./types";

/** A slate entry as the API shows it: reasons rendered in the viewer's language. */
export function presentEntry(entry: SlateEntry, locale: Locale) {
  return {
    userId: entry.userId,
    displayName: entry.displayName,
    score: entry.score,
    reasons: entry.reasons.map((r) => renderReason(r, locale)),
    sharedFavorites: entry.sharedFavorites,
  };
}
