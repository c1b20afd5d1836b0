import { PCA } from "ml-pca";
import type { Queryable } from "../db/types";
import { fromVectorColumn } from "../db/vector";
import { favoriteInUseSql } from "../favorites/in-use";
import { TITLE_EMBEDDING_DIMS } from "../embeddings/provider";
import { fitCollaborative, saveCollaborative } from "./collaborative";

/** The taste space: user_taste_vectors.taste and media_taste_projections.projection are 256-d. */
export const TASTE_DIMS = 256;
/**
 * PCA is fitted on at most this many titles (a deterministic sample): the covariance of 3000
 * 768-d vectors already pins the leading directions, and the fit stays a few seconds long.
 */
export const FIT_SAMPLE_LIMIT = 3000;
/** Refit once the embedded catalogue, or the favorites in use, grew by this factor since the last fit. */
export const REFIT_GROWTH = 1.25;
/**
 * Weight of the content part of a title's projection beside its collaborative part (whose mean
 * norm is 1): people's shared favorites say more than metadata, but a title nobody shares yet
 * still has a place by its content.
 */
export const CONTENT_SHARE = 0.3;

export interface TasteModel {
  version: string;
  inDims: number;
  outDims: number;
  mean: Float32Array;
  /** Row-major outDims x inDims: row k is the k-th principal direction. */
  components: Float32Array;
  explainedVariance: number[];
  fittedOn: number;
  /** Leading dimensions of the taste space holding collaborative factors (0: content only). */
  collabDims: number;
  fittedOnFavorites: number;
}

/**
 * A title's place in the 256-d taste space. Content only (collabDims 0): the centred 768-d
 * embedding projected onto the principal components. With collaborative factors: the first
 * collabDims dimensions hold the title's factors (zeros when it has none: too few fans yet),
 * the rest its leading principal components times CONTENT_SHARE.
 */
export function project(
  model: TasteModel,
  embedding: ArrayLike<number>,
  collab: ArrayLike<number> | null = null,
): number[] {
  const { inDims, outDims, mean, components, collabDims } = model;
  const centred = new Float64Array(inDims);
  for (let j = 0; j < inDims; j++) centred[j] = embedding[j] - mean[j];
  const out = new Array<number>(outDims).fill(0);
  for (let k = 0; k < collabDims; k++) out[k] = collab?.[k] ?? 0;
  const share = collabDims > 0 ? CONTENT_SHARE : 1;
  for (let k = 0; k < outDims - collabDims; k++) {
    let s = 0;
    const row = k * inDims;
    for (let j = 0; j < inDims; j++) s += components[row + j] * centred[j];
    out[collabDims + k] = share * s;
  }
  return out;
}

/** The column means and the sample covariance (divided by n - 1) of the rows, as ml-pca computes them. */
function centredCovariance(rows: number[][]): { mean: Float64Array; covariance: number[][] } {
  const n = rows.length;
  const d = rows[0].length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const upper = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (const r of rows) {
    for (let j = 0; j < d; j++) x[j] = r[j] - mean[j];
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const at = i * d;
      for (let j = i; j < d; j++) upper[at + j] += xi * x[j];
    }
  }
  const covariance = Array.from({ length: d }, () => new Array<number>(d));
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const c = upper[i * d + j] / (n - 1);
      covariance[i][j] = c;
      covariance[j][i] = c;
    }
  }
  return { mean, covariance };
}

/** Fits PCA 768 -> 256 on a sample of embedded titles. Null when there are too few titles. */
export function fitModel(embeddings: number[][], catalogueSize: number): TasteModel | null {
  if (embeddings.length < 2) return null;
  const inDims = embeddings[0].length;
  const { mean, covariance } = centredCovariance(embeddings);
  // ml-pca's own covariance goes through ml-matrix's generic mmul: about half of a 3000 x 768 fit
  // (20 of 36 s in a profile); the same matrix from typed arrays takes about a second.
  const pca = new PCA(covariance, { isCovarianceMatrix: true });
  const U = pca.getEigenvectors(); // inDims x inDims, columns ordered by eigenvalue
  const outDims = TASTE_DIMS;
  const components = new Float32Array(outDims * inDims);
  // Beyond the sample's rank the remaining directions carry no variance; they stay in the model
  // (projections onto them are ~0) so every taste vector has the same 256 dimensions.
  const available = Math.min(outDims, U.columns);
  for (let k = 0; k < available; k++) {
    for (let j = 0; j < inDims; j++) components[k * inDims + j] = U.get(j, k);
  }
  const variance = pca.getExplainedVariance();
  return {
    version: `pca${outDims}-${Date.now().toString(36)}-${embeddings.length}`,
    inDims,
    outDims,
    mean: Float32Array.from(mean),
    components,
    explainedVariance: Array.from({ length: outDims }, (_, k) => variance[k] ?? 0),
    fittedOn: catalogueSize,
    collabDims: 0,
    fittedOnFavorites: 0,
  };
}

function bytes(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function floats(value: unknown): Float32Array {
  const raw = value as Uint8Array;
  // Copy: the driver's buffer may not be 4-byte aligned.
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return new Float32Array(copy.buffer);
}

export async function saveModel(db: Queryable, model: TasteModel): Promise<void> {
  await db.query(
    `INSERT INTO taste_models (version, in_dims, out_dims, mean, components, explained_variance, fitted_on,
                               collab_dims, fitted_on_favorites)
     VALUES ($1, $2, $3, $4, $5, $6::float8[], $7, $8, $9)`,
    [
      model.version,
      model.inDims,
      model.outDims,
      bytes(model.mean),
      bytes(model.components),
      model.explainedVariance,
      model.fittedOn,
      model.collabDims,
      model.fittedOnFavorites,
    ],
  );
}

const loaded = new Map<string, TasteModel>();

/** The newest model, or null before the first fit. Models never change, so they are cached. */
export async function currentModel(db: Queryable): Promise<TasteModel | null> {
  const [head] = await db.query<{ version: string }>(
    `SELECT version FROM taste_models ORDER BY created_at DESC, version DESC LIMIT 1`,
  );
  if (!head) return null;
  const cached = loaded.get(head.version);
  if (cached) return cached;
  const [row] = await db.query<{
    version: string;
    in_dims: number;
    out_dims: number;
    mean: unknown;
    components: unknown;
    explained_variance: number[];
    fitted_on: number;
    collab_dims: number;
    fitted_on_favorites: string | number;
  }>(`SELECT * FROM taste_models WHERE version = $1`, [head.version]);
  const model: TasteModel = {
    version: row.version,
    inDims: row.in_dims,
    outDims: row.out_dims,
    mean: floats(row.mean),
    components: floats(row.components),
    explainedVariance: row.explained_variance.map(Number),
    fittedOn: row.fitted_on,
    collabDims: row.collab_dims,
    fittedOnFavorites: Number(row.fitted_on_favorites),
  };
  loaded.set(model.version, model);
  return model;
}

async function embeddedCount(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM canonical_media WHERE embedding IS NOT NULL`,
  );
  return row.n;
}

async function favoritesInUse(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM favorite_items f WHERE ${favoriteInUseSql("f")}`,
  );
  return row.n;
}

/**
 * Returns the model to use, fitting (and storing) a new one when there is none, when `refit`
 * is asked for, or when the catalogue has grown by REFIT_GROWTH since the last fit; with
 * `favoritesGrowth` (the nightly batch, not a single user's re-embed) also when the favorites in
 * use have. A fit is the PCA of title embeddings plus the collaborative factors of
 * collaborative.ts (none while there are too few people). Older models are deleted with their
 * projections and factors once the new one is stored.
 */
export async function ensureModel(
  db: Queryable,
  options: { refit?: boolean; favoritesGrowth?: boolean } = {},
): Promise<TasteModel | null> {
  const existing = await currentModel(db);
  const size = await embeddedCount(db);
  const grown =
    options.favoritesGrowth && existing
      ? (await favoritesInUse(db)) >= Math.max(1, existing.fittedOnFavorites) * REFIT_GROWTH
      : false;
  if (existing && !options.refit && !grown && size < existing.fittedOn * REFIT_GROWTH) return existing;
  // md5 order is a deterministic, well-mixed sample across communities and media types.
  const rows = await db.query<{ embedding: string }>(
    `SELECT embedding::text AS embedding FROM canonical_media WHERE embedding IS NOT NULL
     ORDER BY md5(id) LIMIT $1`,
    [FIT_SAMPLE_LIMIT],
  );
  const sample = rows.map((r) => fromVectorColumn(r.embedding));
  if (sample.some((v) => v.length !== TITLE_EMBEDDING_DIMS)) throw new Error("title embeddings must be 768-d");
  const content = fitModel(sample, size);
  if (!content) return existing;
  const collab = await fitCollaborative(db);
  const model: TasteModel = collab
    ? {
        ...content,
        version: content.version.replace(/^pca/, `cf${collab.dims}-pca`),
        collabDims: collab.dims,
        fittedOnFavorites: collab.favorites,
      }
    : content;
  await saveModel(db, model);
  if (collab) await saveCollaborative(db, model.version, collab);
  await db.query(`DELETE FROM taste_models WHERE version <> $1`, [model.version]);
  loaded.set(model.version, model);
  return model;
}
