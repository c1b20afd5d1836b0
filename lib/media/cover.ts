import { z } from "zod";

/** canonical_media.cover_url's CHECK constraint allows at most this many characters. */
export const COVER_URL_MAX = 2048;

/**
 * What canonical_media.cover_url accepts (the migration's CHECK) and the discovery API answers:
 * an absolute https URL without whitespace, at most 2048 characters. The pages load covers straight
 * from the image host, so plain http would be mixed content, and javascript:/data: are no covers.
 */
const coverUrlSchema = z
  .url({ protocol: /^https$/ })
  .max(COVER_URL_MAX)
  .regex(/^https:\/\/\S+$/);

/**
 * The URL when it may be stored as a cover, else null. Everything a service or an import names
 * goes through here first: a bad URL is dropped rather than failing the whole write on the CHECK.
 */
export function coverUrlOrNull(value: unknown): string | null {
  const parsed = coverUrlSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
