import type { Queryable } from "../db/types";
import { fromVectorColumn, toVectorParam } from "../db/vector";
import { project, type TasteModel } from "./pca-model";

interface TitleRow {
  id: string;
  embedding: string;
  /** The title's collaborative factors under the model, when it has some. */
  factors: number[] | null;
}

const factorsSql = (m: string) =>
  `(SELECT c.factors FROM media_collab_factors c WHERE c.model_version = $2 AND c.media_id = ${m}.id) AS factors`;

async function storeProjections(db: Queryable, model: TasteModel, rows: TitleRow[]) {
  if (!rows.length) return;
  const projected = rows.map((r) =>
    toVectorParam(project(model, fromVectorColumn(r.embedding), r.factors?.map(Number) ?? null)),
  );
  await db.query(
    `INSERT INTO media_taste_projections (media_id, model_version, projection)
     SELECT id, $3, projection::vector FROM unnest($1::text[], $2::text[]) AS t(id, projection)
     ON CONFLICT (model_version, media_id) DO UPDATE SET projection = EXCLUDED.projection`,
    [rows.map((r) => r.id), projected, model.version],
  );
}

/**
 * Projects up to `limit` embedded titles that have no projection under the model yet, in id
 * order after `after`. Each title is projected once per model; users are then cheap.
 */
export async function projectMissingTitles(
  db: Queryable,
  model: TasteModel,
  options: { after: string | null; limit: number },
): Promise<{ processed: number; last: string | null }> {
  const rows = await db.query<TitleRow>(
    `SELECT m.id, m.embedding::text AS embedding, ${factorsSql("m")} FROM canonical_media m
     WHERE m.embedding IS NOT NULL AND ($1::text IS NULL OR m.id > $1)
       AND NOT EXISTS (SELECT 1 FROM media_taste_projections p WHERE p.media_id = m.id AND p.model_version = $2)
     ORDER BY m.id LIMIT $3`,
    [options.after, model.version, options.limit],
  );
  await storeProjections(db, model, rows);
  return { processed: rows.length, last: rows.at(-1)?.id ?? options.after };
}

export async function countUnprojectedTitles(db: Queryable, model: TasteModel): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM canonical_media m WHERE m.embedding IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM media_taste_projections p WHERE p.media_id = m.id AND p.model_version = $1)`,
    [model.version],
  );
  return row.n;
}

/** Projects a user's favorited titles that lack a projection (the re-embed queue). */
export async function projectUserTitles(db: Queryable, model: TasteModel, userId: string): Promise<number> {
  const rows = await db.query<TitleRow>(
    `SELECT DISTINCT m.id, m.embedding::text AS embedding, ${factorsSql("m")}
     FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id
     WHERE f.user_id = $1 AND m.embedding IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM media_taste_projections p WHERE p.media_id = m.id AND p.model_version = $2)`,
    [userId, model.version],
  );
  await storeProjections(db, model, rows);
  return rows.length;
}
