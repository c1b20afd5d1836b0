/**
 * Fixed pseudo-random directions for feature tokens ("genre:horror", "hobby:chess"). Each token
 * seeds a PRNG through a string hash, so the same token maps to the same unit vector on every
 * machine and in every process, with no table to store. Random directions in hundreds of
 * dimensions are nearly orthogonal, so a weighted sum of them behaves like a bag of features:
 * two sums are close exactly when they share heavily weighted tokens.
 */

/** FNV-1a 32-bit over the UTF-16 code units, mixed with a namespace seed. */
export function hashToken(token: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cache = new Map<string, Float64Array>();
const CACHE_LIMIT = 50_000;

/** The unit direction of a token in `dims` dimensions (Gaussian components, normalised). */
export function tokenDirection(token: string, dims: number, namespace: string): Float64Array {
  const key = `${namespace}|${dims}|${token}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const next = mulberry32(hashToken(key));
  const v = new Float64Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i += 2) {
    // Box-Muller: two Gaussian samples per pair of uniforms.
    const u1 = Math.max(next(), 1e-12);
    const u2 = next();
    const r = Math.sqrt(-2 * Math.log(u1));
    v[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < dims) v[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  for (let i = 0; i < dims; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  for (let i = 0; i < dims; i++) v[i] /= norm;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, v);
  return v;
}

export interface WeightedToken {
  token: string;
  weight: number;
}

/** Sum of weighted token directions, L2-normalised; null when there is nothing to embed. */
export function embedTokens(tokens: WeightedToken[], dims: number, namespace: string): number[] | null {
  const sum = new Float64Array(dims);
  for (const { token, weight } of tokens) {
    if (!(weight > 0)) continue;
    const d = tokenDirection(token, dims, namespace);
    for (let i = 0; i < dims; i++) sum[i] += weight * d[i];
  }
  return normalise(sum);
}

/** L2-normalised copy; null for a zero vector. */
export function normalise(values: ArrayLike<number>): number[] | null {
  let norm = 0;
  for (let i = 0; i < values.length; i++) norm += values[i] * values[i];
  norm = Math.sqrt(norm);
  if (!(norm > 1e-12)) return null;
  return Array.from(values, (x) => x / norm);
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
