/**
 * A pairwise logistic ranker (RankNet with a linear scorer): learns weights w so that for each
 * preferred pair (a over b) w·(x_a − x_b) is large, minimising log(1 + e^(−w·(x_a − x_b))) plus an
 * L2 penalty, by full-batch gradient descent from a given start. Scores stay exactly w·x, so each
 * term's contribution (weight × feature) is a reason. Shared by any scenario with feature vectors
 * as number arrays in one fixed order. (No kept LightGBM/XGBoost trainer runs in Node here.)
 */
export interface PreferencePair {
  /** Features of the preferred item and of the other one, in the same order as the weights. */
  better: readonly number[];
  worse: readonly number[];
  /** How much this pair counts (e.g. the difference in watch time); 1 by default. */
  weight?: number;
}

export interface PairwiseFitOptions {
  l2?: number;
  iterations?: number;
  learningRate?: number;
  /** Where the descent starts (and what L2 pulls towards): zeros by default. */
  start?: readonly number[];
}

const dot = (w: readonly number[], x: readonly number[]) => w.reduce((s, wi, i) => s + wi * x[i], 0);

export function fitPairwise(
  pairs: readonly PreferencePair[],
  dims: number,
  options: PairwiseFitOptions = {},
): number[] {
  const l2 = options.l2 ?? 1e-3;
  const iterations = options.iterations ?? 500;
  const rate = options.learningRate ?? 0.5;
  const start = options.start ?? new Array<number>(dims).fill(0);
  const w = [...start];
  const diffs = pairs.map((p) => ({ d: p.better.map((b, i) => b - p.worse[i]), weight: p.weight ?? 1 }));
  const total = diffs.reduce((s, p) => s + p.weight, 0);
  if (total === 0) return w;
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(dims).fill(0);
    for (const { d, weight } of diffs) {
      // d/dw log(1 + e^(−w·d)) = −d · σ(−w·d)
      const s = 1 / (1 + Math.exp(dot(w, d)));
      for (let i = 0; i < dims; i++) g[i] -= weight * s * d[i];
    }
    for (let i = 0; i < dims; i++) w[i] -= rate * (g[i] / total + l2 * (w[i] - start[i]));
  }
  return w;
}

/** Share of pairs the weights order the right way round (ties count half). */
export function pairAccuracy(pairs: readonly PreferencePair[], w: readonly number[]): number {
  if (pairs.length === 0) return NaN;
  let right = 0;
  for (const p of pairs) {
    const m = dot(w, p.better) - dot(w, p.worse);
    right += m > 0 ? 1 : m === 0 ? 0.5 : 0;
  }
  return right / pairs.length;
}
