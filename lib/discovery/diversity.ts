/** Helpers of the MMR diversity step (the selection loop is in select.ts). */

/** Normalises to unit length so a dot product is the cosine (zero vectors stay zero). */
export function unitVector(values: ArrayLike<number>): Float32Array {
  const v = Float32Array.from(values);
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/**
 * The vectors two candidates are compared by: taste when both have one, else profile embedding
 * when both have one, else they count as unrelated (similarity 0).
 */
export interface DiversityVectors {
  taste: Float32Array | null;
  profile: Float32Array | null;
}

export function candidateSimilarity(a: DiversityVectors | undefined, b: DiversityVectors | undefined): number {
  if (!a || !b) return 0;
  if (a.taste && b.taste) return dot(a.taste, b.taste);
  if (a.profile && b.profile) return dot(a.profile, b.profile);
  return 0;
}

/** MMR: lambda x relevance - (1 - lambda) x the highest similarity to anything already chosen. */
export function mmrScore(lambda: number, relevance: number, maxSimilarity: number): number {
  return lambda * relevance - (1 - lambda) * maxSimilarity;
}
