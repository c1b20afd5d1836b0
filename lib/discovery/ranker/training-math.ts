import { featureNames, type FeatureVector, type RankerModel } from "../types";

/** One labelled (viewer, target) pair: the ranker's features and whether the viewer wanted them. */
export interface TrainingExample {
  features: FeatureVector;
  label: 0 | 1;
  /** When the feedback was given (the held-out split is by time). */
  at: number;
  /** True when the features are those logged with the impression (not recomputed afterwards). */
  logged?: boolean;
}

export interface LogisticFit {
  intercept: number;
  weights: FeatureVector;
}

export interface FitOptions {
  /** L2 penalty on the weights (not the intercept): keeps sparse features from running off. */
  l2?: number;
  iterations?: number;
  learningRate?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function logit(fit: LogisticFit, x: FeatureVector): number {
  let z = fit.intercept;
  for (const f of featureNames) z += fit.weights[f] * x[f];
  return z;
}

/**
 * L2-regularised logistic regression by full-batch gradient descent on the raw features (all in
 * [0, 1], so no rescaling is needed and the weights apply to the features the pipeline computes:
 * contributions stay exactly weight x feature). Deterministic: starts from zero.
 */
export function fitLogistic(examples: readonly TrainingExample[], options: FitOptions = {}): LogisticFit {
  const l2 = options.l2 ?? 1e-3;
  const iterations = options.iterations ?? 2000;
  const rate = options.learningRate ?? 1;
  const fit: LogisticFit = {
    intercept: 0,
    weights: Object.fromEntries(featureNames.map((f) => [f, 0])) as FeatureVector,
  };
  const n = examples.length;
  if (n === 0) return fit;
  for (let it = 0; it < iterations; it++) {
    let gIntercept = 0;
    const g = Object.fromEntries(featureNames.map((f) => [f, 0])) as FeatureVector;
    for (const e of examples) {
      const err = sigmoid(logit(fit, e.features)) - e.label;
      gIntercept += err;
      for (const f of featureNames) g[f] += err * e.features[f];
    }
    fit.intercept -= (rate * gIntercept) / n;
    for (const f of featureNames) fit.weights[f] -= rate * (g[f] / n + l2 * fit.weights[f]);
  }
  return fit;
}

/** Area under the ROC curve (probability a positive outscores a negative; ties count half). */
export function auc(scored: readonly { score: number; label: 0 | 1 }[]): number {
  const sorted = [...scored].sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const midRank = (i + 1 + j) / 2; // average 1-based rank of the tie block
    for (let k = i; k < j; k++) {
      if (sorted[k].label === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The serving form of a fit: the same weights, with the bias shifted so that no score can be
 * negative (features are in [0, 1], so the lowest possible sum is the sum of negative weights).
 * Ordering is unchanged by the shift, and the later stages need non-negative scores: safety
 * multiplies a reported user's score by a penalty and MMR divides by the top score.
 */
export function servingModel(version: string, fit: LogisticFit): RankerModel {
  const lowest = featureNames.reduce((s, f) => s + Math.min(0, fit.weights[f]), 0);
  return { version, bias: -lowest, weights: { ...fit.weights } };
}
