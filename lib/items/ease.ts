import type { InteractionMatrix } from "./interactions";
import { topOfRow, type ItemNeighbours } from "./neighbours";

/**
 * EASE (Steck 2019): B = I - P / diag(P) with P = (XᵀX + λI)⁻¹, the closed-form item-item model.
 * Dense n x n in Float64 and an O(n³) inversion, so only for small catalogues (see
 * EASE_MAX_ITEMS in config.ts). Each item's row of B is kept as its top `k` neighbours.
 */
export function easeNeighbours(m: InteractionMatrix, lambda: number, k: number): ItemNeighbours {
  const n = m.items.length;
  const a = easeInverse(m, lambda);
  const out: ItemNeighbours = new Map();
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // B[i][j] = -P[i][j] / P[j][j]: how much item i's presence speaks for item j.
    for (let j = 0; j < n; j++) row[j] = j === i ? 0 : -a[i * n + j] / a[j * n + j];
    const top = topOfRow(row, k, i);
    out.set(m.items[i], { ids: top.index.map((j) => m.items[j]), scores: Float64Array.from(top.score) });
  }
  return out;
}

/**
 * EASE's scores of every item for one person's items (matrix item numbers) and weights, from
 * the whole of B rather than each item's top neighbours: scores(p)[j] = sum over p's items t (t != j) of w_t B[t][j]. Cutting B to the top
 * neighbours drops its negative weights and long tail; on MovieLens 100K the people chosen for
 * those cut scores (eval/movielens/vote-set.ts) scored 1.05x cosine against 1.08-1.10x for full ones.
 */
export function easeScorer(
  m: InteractionMatrix,
  lambda: number,
): (items: ArrayLike<number>, weights: ArrayLike<number>) => Float64Array {
  const n = m.items.length;
  const a = easeInverse(m, lambda);
  const diagonal = Float64Array.from({ length: n }, (_, j) => a[j * n + j]);
  return (items, weights) => {
    const out = new Float64Array(n);
    for (let x = 0; x < items.length; x++) {
      const off = items[x] * n;
      const w = weights[x];
      for (let j = 0; j < n; j++) out[j] -= w * a[off + j];
    }
    for (let j = 0; j < n; j++) out[j] /= diagonal[j];
    // B's diagonal is zero: an item's own presence does not speak for it.
    for (let x = 0; x < items.length; x++)
      out[items[x]] += (weights[x] * a[items[x] * n + items[x]]) / diagonal[items[x]];
    return out;
  };
}

/** P = (XᵀX + λI)⁻¹, dense row-major; λ scaled to the weights (see below). */
function easeInverse(m: InteractionMatrix, lambda: number): Float64Array {
  const n = m.items.length;
  const a = gram(m);
  // λ is set for 0/1 interactions; with weighted events XᵀX grows with the weights' square, so λ does too.
  let sumSq = 0;
  let count = 0;
  for (const { weights } of m.byPerson) {
    for (const w of weights) sumSq += w * w;
    count += weights.length;
  }
  const scaled = lambda * (count ? sumSq / count : 1);
  for (let i = 0; i < n; i++) a[i * n + i] += scaled;
  invertInPlace(a, n);
  return a;
}

/** XᵀX, dense and row-major. */
function gram(m: InteractionMatrix): Float64Array {
  const n = m.items.length;
  const g = new Float64Array(n * n);
  for (const { items, weights } of m.byPerson) {
    for (let x = 0; x < items.length; x++) {
      const off = items[x] * n;
      const wx = weights[x];
      for (let y = 0; y < items.length; y++) g[off + items[y]] += wx * weights[y];
    }
  }
  return g;
}

/** Gauss-Jordan inversion of a symmetric positive-definite matrix (no pivoting needed). */
function invertInPlace(a: Float64Array, n: number): void {
  const pivotRow = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const p = 1 / a[k * n + k];
    const kOff = k * n;
    for (let j = 0; j < n; j++) pivotRow[j] = a[kOff + j] * p;
    pivotRow[k] = p;
    for (let i = 0; i < n; i++) {
      const off = i * n;
      const f = a[off + k];
      if (i === k || f === 0) continue;
      for (let j = 0; j < n; j++) a[off + j] -= f * pivotRow[j];
      a[off + k] = -f * p;
    }
    a.set(pivotRow, kOff);
  }
}
