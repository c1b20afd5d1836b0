import type { Queryable } from "../db/types";
import { normalizeTitle } from "./normalize";
import type { MediaType } from "./types";

export interface MediaHit {
  mediaId: string;
  title: string;
  mediaType: MediaType;
  year: number | null;
}

/**
 * Auto-complete over titles and their aliases: exact, then prefix, then word-prefix, then
 * trigram-similar matches, best first. Prefix runs on the text_pattern_ops index; infix and fuzzy
 * on the trigram index, so neither scans the catalogue.
 */
export async function searchMedia(
  db: Queryable,
  query: string,
  options: { type?: MediaType; limit: number },
): Promise<MediaHit[]> {
  const q = normalizeTitle(query);
  if (!q) return [];
  // Normalised text holds only letters, digits and spaces, so it is safe inside LIKE patterns.
  const rows = await db.query<{ id: string; title: string; media_type: MediaType; year: number | null }>(
    `WITH hits AS (
       SELECT a.media_id,
              max(CASE WHEN a.alias_norm = $1 THEN 3
                       WHEN a.alias_norm LIKE $1 || '%' THEN 2
                       WHEN a.alias_norm LIKE '% ' || $1 || '%' THEN 1 ELSE 0 END) AS rank,
              max(similarity(a.alias_norm, $1)) AS sim
       FROM media_aliases a
       WHERE a.alias_norm LIKE $1 || '%'
          OR (char_length($1) >= 3 AND (a.alias_norm LIKE '%' || $1 || '%' OR a.alias_norm % $1))
       GROUP BY a.media_id)
     SELECT m.id, m.title, m.media_type, m.year
     FROM hits JOIN canonical_media m ON m.id = hits.media_id
     WHERE $2::text IS NULL OR m.media_type = $2::text
     ORDER BY hits.rank DESC, hits.sim DESC, m.title, m.id
     LIMIT $3`,
    [q, options.type ?? null, options.limit],
  );
  return rows.map((r) => ({ mediaId: r.id, title: r.title, mediaType: r.media_type, year: r.year }));
}
