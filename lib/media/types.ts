import { z } from "zod";

export const mediaTypes = ["film", "book", "music"] as const;
export type MediaType = (typeof mediaTypes)[number];

/**
 * What we know about a title, stored in canonical_media.metadata. Importers keep what their file
 * carries; metadata fetchers (TMDb, MusicBrainz, Open Library) fill the rest. Every list holds
 * lower-case tags; creators are display names (directors, authors, artists).
 */
export const mediaMetadataSchema = z.object({
  genres: z.array(z.string()).default([]),
  themes: z.array(z.string()).default([]),
  mood: z.array(z.string()).default([]),
  creators: z.array(z.string()).default([]),
  /** Decade, e.g. "1980s"; derived from the year when absent. */
  era: z.string().optional(),
  /** Music: the recording's ISRC, used to merge one recording released on several albums. */
  isrc: z.string().optional(),
  /** Where this metadata came from, e.g. "demo", "letterboxd", "tmdb". */
  source: z.string().optional(),
});
export type MediaMetadata = z.infer<typeof mediaMetadataSchema>;

export interface CanonicalMedia {
  id: string;
  mediaType: MediaType;
  title: string;
  year: number | null;
  metadata: MediaMetadata;
}

export function eraOf(year: number | null | undefined): string | undefined {
  return year ? `${Math.floor(year / 10) * 10}s` : undefined;
}
