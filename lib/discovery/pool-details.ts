import type { Queryable } from "../db/types";
import { unitVector, type DiversityVectors } from "./diversity";
import type { ScoredCandidate } from "./types";
import { fromVectorBinary } from "./vectors";

/** What the slate stage reads for the pool only (the candidates that can still be shown). */
export interface PoolDetails {
  vectors: DiversityVectors;
  /** The best-rated shared titles, best first (at most 3), and each one's cover URL (or null). */
  titles: string[];
  covers: (string | null)[];
}

interface DetailRow {
  id: string;
  /** vector_send's bytes in base64. */
  taste: string | null;
  profile: string | null;
  titles: string[] | null;
  covers: string[] | null;
}

/**
 * One round trip for the pool: the vectors MMR compares candidates by (a candidate's taste vector
 * only when their favorites signal is on, the profile embedding only when interests are on) and
 * the shared titles worth naming.
 *
 * The vectors are most of what this stage moves, and moving bytes is what it costs (a 256-d
 * vector is 1 kB; 300 of them measured 8.6 ms at 1M users, the statement's own work ~3 ms). So
 * profile embeddings come only when some pool member has no visible taste vector: MMR compares
 * two candidates by taste whenever both have one, so otherwise no embedding is ever read. And the
 * bytes travel as base64 (4/3 of the binary) rather than bytea's hex text (twice the binary). Retrieval found which media each candidate shares with the
 * viewer; here the pairs are ranked by both people's ratings (a like counts one more), the media
 * id breaking ties between equally rated titles of the same name, and named with their covers.
 * That is a few hundred primary-key reads for the pool, where rating every candidate's favorites
 * in retrieval read ~10,000 rows at 1M users. Both CTEs are materialized: inlined, each rating
 * subquery ran once per ORDER BY that uses it. `vectors: false` reads the titles only (the why
 * endpoint, one target).
 *
 * covers[i] belongs to titles[i]; the statement spells a missing cover '' because postgres.js
 * reads a NULL array element as the string 'NULL'.
 */
export async function loadPoolDetails(
  db: Queryable,
  viewerId: string,
  pool: readonly ScoredCandidate[],
  options: { vectors: boolean } = { vectors: true },
): Promise<Map<string, PoolDetails>> {
  if (pool.length === 0) return new Map();
  const pairs = pool.flatMap((c) => (c.raw.sharedMediaIds ?? []).map((media) => [c.raw.userId, media] as const));
  const rows = await db.query<DetailRow>(
    `WITH vr AS MATERIALIZED (
       SELECT media_id, max(coalesce(rating, 3) + CASE WHEN liked THEN 1 ELSE 0 END) AS r
       FROM favorite_items WHERE user_id = $1 GROUP BY media_id
     ), pairs AS MATERIALIZED (
       SELECT p.id, p.media_id,
         vr.r + (SELECT max(coalesce(f.rating, 3) + CASE WHEN f.liked THEN 1 ELSE 0 END) FROM favorite_items f
                 WHERE f.user_id = p.id AND f.media_id = p.media_id) AS r
       FROM unnest($3::uuid[], $4::text[]) AS p(id, media_id)
       JOIN vr ON vr.media_id = p.media_id
     ), named AS (
       SELECT p.id, (array_agg(m.title ORDER BY p.r DESC NULLS LAST, m.title, m.id))[1:3] AS titles,
              (array_agg(coalesce(m.cover_url, '') ORDER BY p.r DESC NULLS LAST, m.title, m.id))[1:3] AS covers
       FROM pairs p JOIN canonical_media m ON m.id = p.media_id
       GROUP BY p.id
     ),
     tv AS MATERIALIZED (
       SELECT u.id,
         CASE WHEN NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = u.id
                               AND s.category = 'favorites' AND NOT s.enabled) THEN t.taste END AS taste
       FROM unnest($2::uuid[]) AS u(id)
       LEFT JOIN user_taste_vectors t ON $5::boolean AND t.user_id = u.id
     ), all_taste AS MATERIALIZED (SELECT coalesce(bool_and(taste IS NOT NULL), true) AS yes FROM tv)
     SELECT u.id, encode(vector_send(u.taste), 'base64') AS taste,
       CASE WHEN NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = u.id
                             AND s.category = 'interests' AND NOT s.enabled)
            THEN encode(vector_send(e.embedding), 'base64') END AS profile,
       n.titles, n.covers
     FROM tv u
     LEFT JOIN user_embeddings e ON $5::boolean AND NOT (SELECT yes FROM all_taste) AND e.user_id = u.id
     LEFT JOIN named n ON n.id = u.id`,
    [
      viewerId,
      pool.map((c) => c.raw.userId),
      pairs.map(([id]) => id),
      pairs.map(([, media]) => media),
      options.vectors,
    ],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        vectors: {
          taste: r.taste ? unitVector(fromVectorBinary(Buffer.from(r.taste, "base64"))) : null,
          profile: r.profile ? unitVector(fromVectorBinary(Buffer.from(r.profile, "base64"))) : null,
        },
        titles: r.titles ?? [],
        covers: (r.covers ?? []).map((url) => url || null),
      },
    ]),
  );
}

/** The candidate with its shared titles named (evidence too, so a reason can quote the best one). */
export function withSharedTitles(c: ScoredCandidate, details: PoolDetails | undefined): ScoredCandidate {
  if (!details || details.titles.length === 0) return c;
  const best = details.titles[0];
  return {
    ...c,
    raw: { ...c.raw, bestSharedTitle: best, sharedTitles: details.titles, sharedCovers: details.covers },
    evidence: { ...c.evidence, bestSharedTitle: c.evidence.sharedFavoritesCount > 0 ? best : null },
  };
}
