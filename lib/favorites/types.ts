import type { MediaCandidate } from "../media/resolve";

export const favoriteSources = ["spotify", "letterboxd", "goodreads", "manual"] as const;
export type FavoriteSource = (typeof favoriteSources)[number];

/**
 * Sources a connected service writes on the person's behalf (OAuth syncs), as opposed to files
 * they exported themselves and titles they typed in. The `connectors` privacy switch governs
 * exactly these; a new OAuth connector joins this list and is covered everywhere it is read.
 */
export const connectorSources = ["spotify"] as const satisfies readonly FavoriteSource[];
export type ConnectorSource = (typeof connectorSources)[number];

/** One title as an import or a person states it, before it is resolved to a canonical id. */
export interface FavoriteDraft {
  candidate: MediaCandidate;
  /** Set when the title is already a canonical id (manual entry by id): candidate is not resolved. */
  mediaId?: string;
  /** 0.5–5 in half steps as the source gave it; null when unrated. */
  rating: number | null;
  /** A strong positive (a Letterboxd like, a Spotify saved track). */
  liked: boolean;
  /** Watches, reads or plays the source recorded (rewatches counted). */
  playCount: number;
  addedAt: Date | null;
  /** A link back to the title in the source (Letterboxd film URI, Goodreads book page). */
  externalUri: string | null;
}

/** What an importer parsed: drafts to save and rows it read but did not keep. */
export interface ParsedImport {
  drafts: FavoriteDraft[];
  rows: number;
  skipped: number;
}
