import type { Queryable } from "../db/types";
import { favoriteInUseSql } from "../favorites/in-use";
import { truncatedSvd, type SparseRows } from "./factorise";

/** Dimensions of the taste space given to collaborative factors; the rest hold content. */
export const COLLAB_DIMS = 32;
/** The fit reads at most this many people (a deterministic sample, like the PCA's titles). */
export const FIT_USER_LIMIT = 50_000;
/** A title needs this many fans in the sample to get collaborative factors. */
export const MIN_FANS = 2;
/**
 * Singular-value exponent of the title factors: V S^-0.5 sits between plain right singular
 * vectors (0) and whitened ones (-1); measured best on MovieLens 100K (eval/results).
 */
export const SINGULAR_POWER = -0.5;
/** Rating assumed for a favorite without one (a saved track, a shelved book). */
export const UNRATED_AS = 4;

export interface CollabFit {
  mediaIds: string[];
  /** Row-major mediaIds.length x dims, scaled so the mean title's norm is 1. */
  factors: Float32Array;
  dims: number;
  /** Favorites in use when fitted (people with `favorites` off contribute none). */
  favorites: number;
  people: number;
}

/**
 * Fits collaborative title factors from favorites in use (favoriteInUseSql: nothing from people
 * with `favorites` off, nor connector rows with `connectors` off). Each sampled person is a row
 * of rating x IDF (ln(people / fans)), L2-normalised so a heavy rater does not outweigh the rest;
 * the title factors are the top right singular vectors times S^SINGULAR_POWER, times the title's
 * IDF, so a user's weighted mean of projections down-weights titles everyone has.
 * Null when there are too few people or titles for a fit.
 */
export async function fitCollaborative(db: Queryable, dims = COLLAB_DIMS): Promise<CollabFit | null> {
  const rows = await db.query<{ u: number; media_id: string; rating: number | null }>(
    `WITH inuse AS (
       SELECT f.user_id, f.media_id, max(f.rating)::float8 AS rating
       FROM favorite_items f WHERE ${favoriteInUseSql("f")} GROUP BY f.user_id, f.media_id),
     sample AS (
       SELECT user_id, row_number() OVER (ORDER BY md5(user_id::text))::int AS u
       FROM (SELECT DISTINCT user_id FROM inuse) s ORDER BY md5(user_id::text) LIMIT $1)
     SELECT s.u, i.media_id, i.rating FROM inuse i JOIN sample s USING (user_id) ORDER BY s.u, i.media_id`,
    [FIT_USER_LIMIT],
  );
  const [total] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM favorite_items f WHERE ${favoriteInUseSql("f")}`,
  );
  const fans = new Map<string, number>();
  for (const r of rows) fans.set(r.media_id, (fans.get(r.media_id) ?? 0) + 1);
  const mediaIds = [...fans]
    .filter(([, n]) => n >= MIN_FANS)
    .map(([id]) => id)
    .sort();
  const column = new Map(mediaIds.map((id, j) => [id, j]));
  const byUser = new Map<number, { cols: number[]; vals: number[] }>();
  const people = new Set(rows.map((r) => r.u)).size;
  const idf = (id: string) => Math.log(people / fans.get(id)!);
  for (const r of rows) {
    const j = column.get(r.media_id);
    if (j === undefined) continue;
    const row = byUser.get(r.u) ?? { cols: [], vals: [] };
    row.cols.push(j);
    row.vals.push((r.rating === null ? UNRATED_AS : Number(r.rating)) * idf(r.media_id));
    byUser.set(r.u, row);
  }
  const x: SparseRows = { cols: [], vals: [], nCols: mediaIds.length };
  for (const { cols, vals } of byUser.values()) {
    if (cols.length < 2) continue;
    const norm = Math.hypot(...vals) || 1;
    x.cols.push(Int32Array.from(cols));
    x.vals.push(Float64Array.from(vals, (v) => v / norm));
  }
  if (x.cols.length < dims || mediaIds.length < dims) return null;
  const svd = truncatedSvd(x, dims, { seed: 1 });
  const factors = new Float32Array(mediaIds.length * dims);
  let normSum = 0;
  for (let j = 0; j < mediaIds.length; j++) {
    let sq = 0;
    for (let k = 0; k < svd.rank; k++) {
      const sigma = svd.singularValues[k];
      const value = sigma > 1e-9 ? svd.v[j * svd.rank + k] * sigma ** SINGULAR_POWER * idf(mediaIds[j]) : 0;
      factors[j * dims + k] = value;
      sq += value * value;
    }
    normSum += Math.sqrt(sq);
  }
  const scale = normSum > 0 ? mediaIds.length / normSum : 1;
  for (let i = 0; i < factors.length; i++) factors[i] *= scale;
  return { mediaIds, factors, dims, favorites: total.n, people: x.cols.length };
}

export async function saveCollaborative(db: Queryable, version: string, fit: CollabFit): Promise<void> {
  const chunk = 5000;
  for (let start = 0; start < fit.mediaIds.length; start += chunk) {
    const ids = fit.mediaIds.slice(start, start + chunk);
    const factors = ids.map((_, i) =>
      JSON.stringify(Array.from(fit.factors.subarray((start + i) * fit.dims, (start + i + 1) * fit.dims))),
    );
    await db.query(
      `INSERT INTO media_collab_factors (model_version, media_id, factors)
       SELECT $1, t.id, ARRAY(SELECT jsonb_array_elements_text(t.f::jsonb)::real)
       FROM unnest($2::text[], $3::text[]) AS t(id, f)`,
      [version, ids, factors],
    );
  }
}
