import type { Queryable } from "../db/types";

/**
 * HOMETOWN's learned term: a logistic model over viewer-stream features (each in [0, 1]), trained
 * from watch events (lib/streams/hometown-training.ts). The term added to the score is
 * LEARNED_WEIGHT × σ(w·x), so it stays on the scale of the seed's other terms; without an active
 * model it is off and every reason list says so.
 */
export const HOMETOWN_LEARNED_FEATURES = ["proximity", "quality", "language", "category", "popularity"] as const;
export type HometownLearnedFeature = (typeof HOMETOWN_LEARNED_FEATURES)[number];
export const LEARNED_WEIGHT = 0.5;
/** Viewer counts are scaled by log1p against this ceiling (the streams route's largest plausible). */
const POPULARITY_CEILING = Math.log1p(50_000);

export interface HometownModel {
  version: string;
  weights: number[];
}

export interface LearnedInput {
  /** 1 / (1 + km), or 0 when the viewer's location is not used. */
  proximity: number;
  quality: number;
  language: boolean;
  category: boolean;
  viewerCount: number;
}

export function learnedFeatures(x: LearnedInput): number[] {
  return [
    x.proximity,
    x.quality,
    x.language ? 1 : 0,
    x.category ? 1 : 0,
    Math.min(1, Math.log1p(Math.max(0, x.viewerCount)) / POPULARITY_CEILING),
  ];
}

export function learnedTerm(model: HometownModel, x: readonly number[]): number {
  const z = model.weights.reduce((s, w, i) => s + w * x[i], 0);
  return LEARNED_WEIGHT / (1 + Math.exp(-z));
}

export async function activeHometownModel(db: Queryable): Promise<HometownModel | null> {
  const [row] = await db.query<{ version: string; weights: Record<string, unknown> }>(
    "SELECT version, weights FROM hometown_models WHERE active",
  );
  if (!row) return null;
  const w = row.weights ?? {};
  return {
    version: row.version,
    weights: HOMETOWN_LEARNED_FEATURES.map((f) => (typeof w[f] === "number" ? (w[f] as number) : 0)),
  };
}
