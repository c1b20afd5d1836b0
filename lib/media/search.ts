import type { Queryable } from "../db/types";
import { normalizeTitle } from "./normalize";
import type { MediaType } from "./types";

export interface MediaHit {
  mediaId: string;
  title: string;
  mediaType: MediaType;
  year: number | null;
}

// Restricts an alias scan to one media type when asked ($2), by primary-key lookups.
const TYPE_FILTER = `($2::text IS NULL OR EXISTS (
  SELECT 1 FROM canonical_media t WHERE t.id = a.media_id AND t.media_type = $2::text))`;

/**
 * Auto-complete over titles and their aliases: exact, then prefix, then word-prefix, then
 * trigram-similar matches, best first. Each kind of match is a small, index-backed, limited
 * scan (prefix on the text_pattern_ops index; word-prefix and fuzzy on the trigram index), and
 * the fuzzy scan runs only when the others found too little, so a common prefix such as "the"
 * never aggregates thousands of rows.
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
    `WITH prefix AS (
       SELECT media_id, CASE WHEN alias_norm = $1 THEN 3 ELSE 2 END AS rank, alias_norm FROM media_aliases a
       WHERE alias_norm LIKE $1 || '%' AND ${TYPE_FILTER} ORDER BY alias_norm LIMIT 50),
     word AS (
       SELECT media_id, 1 AS rank, alias_norm FROM media_aliases a
       WHERE char_length($1) >= 3 AND alias_norm LIKE '% ' || $1 || '%' AND ${TYPE_FILTER} LIMIT 50),
     fuzzy AS (
       SELECT media_id, 0 AS rank, alias_norm FROM media_aliases a
       WHERE char_length($1) >= 3
         AND (SELECT count(*) FROM prefix) + (SELECT count(*) FROM word) < $3
         AND alias_norm % $1 AND ${TYPE_FILTER} LIMIT 50),
     best AS (
       SELECT media_id, max(rank) AS rank, max(similarity(alias_norm, $1)) AS sim, min(alias_norm) AS alias
       FROM (SELECT * FROM prefix UNION ALL SELECT * FROM word UNION ALL SELECT * FROM fuzzy) found
       GROUP BY media_id
       ORDER BY rank DESC, sim DESC, alias, media_id
       LIMIT $3)
     SELECT m.id, m.title, m.media_type, m.year
     FROM best JOIN canonical_media m ON m.id = best.media_id
     ORDER BY best.rank DESC, best.sim DESC, best.alias, m.id`,
    [q, options.type ?? null, options.limit],
  );
  return rows.map((r) => ({ mediaId: r.id, title: r.title, mediaType: r.media_type, year: r.year }));
}
