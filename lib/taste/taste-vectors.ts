import type { Queryable } from "../db/types";
import { fromVectorColumn, toVectorParam } from "../db/vector";
import { normalise } from "../embeddings/hashed-directions";
import type { TasteModel } from "./pca-model";
import { favoriteWeight, MIN_FAVORITES } from "./weights";

interface FavoriteRow {
  user_id: string;
  rating: number | null;
  liked: boolean;
  play_count: number;
  added_at: Date | string;
  projection: string;
}

export interface TasteVectorResult {
  /** Users who now have a vector under the model. */
  written: number;
  /** Users whose vector was removed or never made: too few favorites, or favorites switched off. */
  cleared: number;
}

/**
 * Computes the taste vectors of the given users under the model: the L2-normalised, weighted
 * (see weights.ts) sum of their favorites' projections. A favorite imported from two sources
 * counts once (best rating, liked if liked anywhere, plays summed, latest date). Users whose
 * `favorites` privacy category is off, or who have fewer than MIN_FAVORITES projected titles,
 * get no vector, and any vector they had is deleted.
 */
export async function computeTasteVectors(
  db: Queryable,
  model: TasteModel,
  userIds: string[],
  now = new Date(),
): Promise<TasteVectorResult> {
  if (!userIds.length) return { written: 0, cleared: 0 };
  const optedOut = new Set(
    (
      await db.query<{ user_id: string }>(
        `SELECT user_id::text AS user_id FROM privacy_settings
         WHERE category = 'favorites' AND NOT enabled AND user_id = ANY($1::uuid[])`,
        [userIds],
      )
    ).map((r) => r.user_id),
  );
  const counted = userIds.filter((id) => !optedOut.has(id));
  const rows = counted.length
    ? await db.query<FavoriteRow>(
        `WITH fav AS (
           SELECT user_id, media_id, max(rating)::float8 AS rating, bool_or(liked) AS liked,
                  sum(play_count)::int AS play_count, max(added_at) AS added_at
           FROM favorite_items WHERE user_id = ANY($1::uuid[]) GROUP BY user_id, media_id)
         SELECT fav.user_id::text AS user_id, fav.rating, fav.liked, fav.play_count, fav.added_at,
                p.projection::text AS projection
         FROM fav JOIN media_taste_projections p ON p.media_id = fav.media_id AND p.model_version = $2`,
        [counted, model.version],
      )
    : [];
  const byUser = new Map<string, FavoriteRow[]>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);

  const ids: string[] = [];
  const vectors: string[] = [];
  for (const [userId, favorites] of byUser) {
    if (favorites.length < MIN_FAVORITES) continue;
    const sum = new Float64Array(model.outDims);
    for (const f of favorites) {
      const w = favoriteWeight(
        {
          rating: f.rating === null ? null : Number(f.rating),
          liked: f.liked,
          playCount: f.play_count,
          addedAt: new Date(f.added_at),
        },
        now,
      );
      const p = fromVectorColumn(f.projection);
      for (let k = 0; k < sum.length; k++) sum[k] += w * p[k];
    }
    const taste = normalise(sum);
    if (!taste) continue;
    ids.push(userId);
    vectors.push(toVectorParam(taste));
  }
  if (ids.length) {
    await db.query(
      `INSERT INTO user_taste_vectors (user_id, taste, model_version, computed_at)
       SELECT user_id, taste::vector, $3, now() FROM unnest($1::uuid[], $2::text[]) AS t(user_id, taste)
       ON CONFLICT (user_id) DO UPDATE
         SET taste = EXCLUDED.taste, model_version = EXCLUDED.model_version, computed_at = EXCLUDED.computed_at`,
      [ids, vectors, model.version],
    );
  }
  const kept = new Set(ids);
  const cleared = userIds.filter((id) => !kept.has(id));
  if (cleared.length) {
    await db.query(`DELETE FROM user_taste_vectors WHERE user_id = ANY($1::uuid[])`, [cleared]);
  }
  return { written: ids.length, cleared: cleared.length };
}

/** A page of user ids in id order after `after` (keyset: a resumed batch continues there). */
export async function userPage(db: Queryable, after: string | null, limit: number): Promise<string[]> {
  const rows = await db.query<{ user_id: string }>(
    `SELECT user_id::text AS user_id FROM profiles WHERE ($1::uuid IS NULL OR user_id > $1::uuid)
     ORDER BY user_id LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => r.user_id);
}

export async function countUsers(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM profiles`);
  return row.n;
}
