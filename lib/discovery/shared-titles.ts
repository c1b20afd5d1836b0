import type { Queryable } from "../db/types";
import { favoriteInUseSql } from "../favorites/in-use";
import type { ScoredCandidate } from "./types";

/** The shared titles worth naming for one candidate, best first (at most 3), with covers. */
export interface SharedTitles {
  titles: string[];
  /** covers[i] is the cover URL of titles[i], or null where none is known. */
  covers: (string | null)[];
}

/**
 * Names the shared favorites of the candidates about to be shown. Retrieval found which media each
 * candidate shares with the viewer (the favorites' primary key alone); here those pairs are ranked
 * by both people's ratings (a like counts one more), the media id breaking ties between equally
 * rated titles of the same name, and named with their covers. That is a few primary-key reads per
 * shown candidate, where rating every candidate's favorites in retrieval read ~10,000 rows at 1M
 * users. Both CTEs are materialized: inlined, each rating subquery ran once per ORDER BY using it.
 *
 * The statement spells a missing cover '' because postgres.js reads a NULL array element as the
 * string 'NULL'.
 */
export async function loadSharedTitles(
  db: Queryable,
  viewerId: string,
  shown: readonly ScoredCandidate[],
): Promise<Map<string, SharedTitles>> {
  const pairs = shown.flatMap((c) => (c.raw.sharedMediaIds ?? []).map((media) => [c.raw.userId, media] as const));
  if (pairs.length === 0) return new Map();
  const rows = await db.query<{ id: string; titles: string[]; covers: string[] }>(
    `WITH vr AS MATERIALIZED (
       SELECT media_id, max(coalesce(rating, 3) + CASE WHEN liked THEN 1 ELSE 0 END) AS r
       FROM favorite_items f WHERE f.user_id = $1 AND ${favoriteInUseSql("f")} GROUP BY media_id
     ), pairs AS MATERIALIZED (
       SELECT p.id, p.media_id,
         vr.r + (SELECT max(coalesce(f.rating, 3) + CASE WHEN f.liked THEN 1 ELSE 0 END) FROM favorite_items f
                 WHERE f.user_id = p.id AND f.media_id = p.media_id AND ${favoriteInUseSql("f")}) AS r
       FROM unnest($2::uuid[], $3::text[]) AS p(id, media_id)
       JOIN vr ON vr.media_id = p.media_id
     )
     SELECT p.id, (array_agg(m.title ORDER BY p.r DESC NULLS LAST, m.title, m.id))[1:3] AS titles,
            (array_agg(coalesce(m.cover_url, '') ORDER BY p.r DESC NULLS LAST, m.title, m.id))[1:3] AS covers
     FROM pairs p JOIN canonical_media m ON m.id = p.media_id
     GROUP BY p.id`,
    [viewerId, pairs.map(([id]) => id), pairs.map(([, media]) => media)],
  );
  return new Map(rows.map((r) => [r.id, { titles: r.titles, covers: r.covers.map((url) => url || null) }]));
}

/** The candidate with its shared titles named (evidence too, so a reason can quote the best one). */
export function withSharedTitles(c: ScoredCandidate, shared: SharedTitles | undefined): ScoredCandidate {
  if (!shared || shared.titles.length === 0) return c;
  const best = shared.titles[0];
  return {
    ...c,
    raw: { ...c.raw, bestSharedTitle: best, sharedTitles: shared.titles, sharedCovers: shared.covers },
    evidence: { ...c.evidence, bestSharedTitle: c.evidence.sharedFavoritesCount > 0 ? best : null },
  };
}
