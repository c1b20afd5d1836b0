import type { Queryable } from "../db/types";
import { favoriteInUseSql } from "../favorites/in-use";
import type { TasteModel } from "./pca-model";
import { favoriteWeightSql, MIN_FAVORITES } from "./weights";

export interface TasteVectorResult {
  /** Users who now have a vector under the model. */
  written: number;
  /** Of those, users whose stored row was actually (re)written: new, moved, or older than a change. */
  changed: number;
  /** Users whose vector was removed or never made: too few favorites, or favorites switched off. */
  cleared: number;
}

/**
 * A recomputed vector this close to the stored one (cosine distance) is the same vector: float
 * rounding in avg() and l2_normalize(), not a change of taste.
 */
export const UNCHANGED_DISTANCE = 1e-6;

/** The serving table, or the unindexed table a bulk build fills (bulk-build.ts). */
export type TasteVectorTable = "user_taste_vectors" | "user_taste_vectors_build";

/**
 * One set-based statement per chunk. Shipping each favorite's 256-d projection to Node as text
 * meant printing and parsing ~4M numbers per 500 users (30 favorites each) and a round trip per
 * step, so the mean is taken where the projections live: pgvector has no vector * scalar, so each
 * projection is multiplied element-wise by its weight repeated (array_fill), and avg(vector)
 * accumulates in float8 (sum(vector) would accumulate in float4). The mean's direction is the
 * weighted sum's, so l2_normalize(avg) equals the normalised sum the Node code computed, within
 * float4 rounding.
 *
 * Only rows that change are written. Writing a row costs an HNSW insertion (the taste column is
 * indexed, so the update is never HOT), which measured five times the cost of computing it. A
 * user whose favorites did not change keeps the same direction from night to night: the recency
 * decay multiplies every weight by the same factor, and normalising removes it. So the nightly
 * run rewrites new users, moved vectors, vectors under an older model, and vectors computed
 * before the user's latest favorites change (which keeps the status endpoint's "stale" honest
 * even when a change did not move the vector).
 * The DELETE cannot see the INSERT's rows (one snapshot), so it skips the users kept or written.
 */
const tasteVectorsSql = (table: TasteVectorTable) => `
  WITH fav AS (
    SELECT f.user_id, f.media_id, max(f.rating)::float8 AS rating, bool_or(f.liked) AS liked,
           sum(f.play_count)::int AS play_count, max(f.added_at) AS added_at, max(f.updated_at) AS updated_at
    FROM favorite_items f
    WHERE f.user_id = ANY($1::uuid[]) AND ${favoriteInUseSql("f")}
    GROUP BY f.user_id, f.media_id),
  last_change AS (
    SELECT user_id, max(updated_at) AS changed_at FROM fav GROUP BY user_id),
  mean AS (
    SELECT fav.user_id,
           avg(p.projection * array_fill((${favoriteWeightSql("fav", "$3::timestamptz")})::real,
                                         ARRAY[vector_dims(p.projection)])::vector) AS v,
           count(*) AS n
    FROM fav JOIN media_taste_projections p ON p.media_id = fav.media_id AND p.model_version = $2
    GROUP BY fav.user_id
    HAVING count(*) >= ${MIN_FAVORITES}),
  fresh AS (
    SELECT mean.user_id, l2_normalize(mean.v) AS taste, c.changed_at
    FROM mean JOIN last_change c ON c.user_id = mean.user_id
    -- A (near-)zero weighted sum has no direction: the same cut-off as normalise().
    WHERE vector_norm(mean.v) * mean.n > 1e-12),
  written AS (
    INSERT INTO ${table} (user_id, taste, model_version, computed_at)
    SELECT f.user_id, f.taste, $2, now()
    FROM fresh f LEFT JOIN ${table} t ON t.user_id = f.user_id
    WHERE t.user_id IS NULL OR t.model_version <> $2 OR t.computed_at < f.changed_at
       OR (t.taste <=> f.taste) > ${UNCHANGED_DISTANCE}
    ON CONFLICT (user_id) DO UPDATE
      SET taste = EXCLUDED.taste, model_version = EXCLUDED.model_version, computed_at = EXCLUDED.computed_at
    RETURNING user_id),
  cleared AS (
    DELETE FROM ${table} t
    WHERE t.user_id = ANY($1::uuid[]) AND t.user_id NOT IN (SELECT user_id FROM fresh))
  SELECT (SELECT count(*)::int FROM fresh) AS written,
         (SELECT count(*)::int FROM written) AS changed,
         (SELECT count(*)::int FROM unnest($1::uuid[]) AS u(id) WHERE u.id NOT IN (SELECT user_id FROM fresh))
           AS cleared`;

/**
 * Computes the taste vectors of the given users under the model: the L2-normalised, weighted
 * (see weights.ts) sum of their favorites' projections. A favorite imported from two sources
 * counts once (best rating, liked if liked anywhere, plays summed, latest date). Rows the
 * privacy switches take out (favoriteInUseSql: `favorites` off, or `connectors` off for synced
 * rows) do not count; users left with fewer than MIN_FAVORITES projected titles get no vector,
 * and any vector they had is deleted. `table` is the serving table unless a bulk
 * build is filling its own.
 */
export async function computeTasteVectors(
  db: Queryable,
  model: TasteModel,
  userIds: string[],
  now = new Date(),
  table: TasteVectorTable = "user_taste_vectors",
): Promise<TasteVectorResult> {
  if (!userIds.length) return { written: 0, changed: 0, cleared: 0 };
  // Every asked-for user left without a vector counts as cleared, whether or not one was deleted.
  const [row] = await db.query<TasteVectorResult>(tasteVectorsSql(table), [userIds, model.version, now]);
  return { written: row.written, changed: row.changed, cleared: row.cleared };
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
