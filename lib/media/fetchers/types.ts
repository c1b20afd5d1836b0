import type { MediaMetadata, MediaType } from "../types";

/** The services media_fetch_misses knows (its CHECK constraint lists the same names). */
export type MetadataProvider = "tmdb" | "musicbrainz" | "openlibrary";

/** A catalogue record as the refresh job hands it to a fetcher. */
export interface MediaRecord {
  id: string;
  mediaType: MediaType;
  title: string;
  year: number | null;
  metadata: Partial<MediaMetadata> & Record<string, unknown>;
  /** The cover the catalogue already has (e.g. Spotify's album art); null or absent when none. */
  coverUrl?: string | null;
}

/** What a service knows about a title. */
export interface FetchedMetadata {
  /** The canonical id the service names (imdb:tt…, mbid:…, isbn:978…), when it names one. */
  externalId?: string;
  year?: number;
  genres: string[];
  themes: string[];
  creators: string[];
  /**
   * The title's cover (poster, book cover, album art) as an https URL, when the service has one.
   * The refresh job checks it again before storing it.
   */
  coverUrl?: string;
}

/**
 * One metadata service for one media type. `lookupKey` names what will be asked (the miss cache's
 * key), or null when the record carries nothing to ask with; `fetch` answers null for "not found".
 */
export interface MetadataFetcher {
  readonly provider: MetadataProvider;
  readonly mediaType: MediaType;
  lookupKey(record: MediaRecord): string | null;
  fetch(record: MediaRecord): Promise<FetchedMetadata | null>;
}
