import type { TrainingView } from "./cf";
import { easeWeights, multiply, type Dense } from "./models";
import { topK, type NeighbourLists } from "./neighbours";

/**
 * Neighbour rules that are not a cosine over one vector per person, tried in the methods harness
 * (methods.ts) because they choose neighbours for the vote itself: a penalty on "hub" people who
 * are near everyone, an asymmetric cosine, and neighbours picked for the films they would vote
 * for. Each takes the people x people (or people x films) data of MovieLens 100K in memory.
 */
export interface RuleInput {
  users: number[];
  /** People to find neighbours for. */
  people: number[];
  /** Stars (1-5), 0 where unrated, users x films. */
  stars: Dense;
  view: TrainingView;
  /** Column of each film key in `stars`. */
  column: Map<string, number>;
}

const K = 50;

/** The top K others of each person by score(i, j) over row indices. */
function topByScore(input: RuleInput, score: (i: number, j: number) => number): NeighbourLists {
  const index = new Map(input.users.map((u, i) => [u, i]));
  return new Map(
    input.people.map((p) => {
      const i = index.get(p)!;
      return [p, topK(p, input.users, K, (o) => score(i, index.get(o)!))];
    }),
  );
}

/** Cosine of every pair of rows of x (unit rows' dot products), n x n. */
export function cosineMatrix(x: Dense): Float64Array {
  const n = x.rows;
  const unit = new Float64Array(x.data.length);
  for (let i = 0; i < n; i++) {
    const row = x.data.subarray(i * x.cols, (i + 1) * x.cols);
    const norm = Math.hypot(...row) || 1;
    for (let j = 0; j < x.cols; j++) unit[i * x.cols + j] = row[j] / norm;
  }
  const s = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let dot = 0;
      for (let j = 0; j < x.cols; j++) dot += unit[a * x.cols + j] * unit[b * x.cols + j];
      s[a * n + b] = s[b * n + a] = dot;
    }
  }
  return s;
}

/**
 * Hubness reduction (as CSLS, Conneau et al. 2018, on one side): cosine minus beta x the
 * candidate's mean cosine to their own k nearest, so people near everyone stop filling every list.
 */
export function hubPenalised(input: RuleInput, similarity: Float64Array, k: number, beta: number): NeighbourLists {
  const n = input.users.length;
  const hub = Float64Array.from({ length: n }, (_, i) => {
    const row = Array.from(similarity.subarray(i * n, (i + 1) * n));
    row[i] = -Infinity;
    return (
      row
        .sort((a, b) => b - a)
        .slice(0, k)
        .reduce((s, x) => s + x, 0) / k
    );
  });
  return topByScore(input, (i, j) => similarity[i * n + j] - beta * hub[j]);
}

/**
 * Asymmetric cosine on liked sets (Aiolli 2013): |L_u ∩ L_v| / (|L_u|^alpha |L_v|^(1-alpha));
 * per person only |L_v|^(1-alpha) changes the order.
 */
export function asymmetricCosine(input: RuleInput, alpha: number): NeighbourLists {
  const liked = input.users.map((u) => new Set(input.view.liked.get(u) ?? []));
  return topByScore(input, (i, j) => {
    let shared = 0;
    for (const f of liked[i]) if (liked[j].has(f)) shared++;
    return shared / Math.max(1, liked[j].size) ** (1 - alpha);
  });
}

/**
 * Neighbours for the votes they would cast: the sum, over the films v liked and u has not rated,
 * of u's EASE score for the film (X·B, Steck 2019), over |liked(v)|^power.
 */
export function easeVoters(input: RuleInput, lambda: number, power: number): NeighbourLists {
  return votersFor(input, multiply(input.stars, easeWeights(input.stars, lambda)), power);
}

/**
 * Not a method (it reads the answers): easeVoters with the person's held-out relevant films in
 * place of predictions. How far the choice of neighbours alone can take this CF.
 */
export function heldOutVoters(input: RuleInput, relevant: ReadonlyMap<number, Set<string>>, power: number) {
  const answers = { ...input.stars, data: new Float64Array(input.stars.data.length) };
  input.users.forEach((u, i) => {
    for (const film of relevant.get(u) ?? []) {
      const j = input.column.get(film);
      if (j !== undefined) answers.data[i * answers.cols + j] = 1;
    }
  });
  return votersFor(input, answers, power);
}

function votersFor(input: RuleInput, predicted: Dense, power: number): NeighbourLists {
  const { stars } = input;
  const f = stars.cols;
  const liked = input.users.map((u) => (input.view.liked.get(u) ?? []).map((film) => input.column.get(film)!));
  return topByScore(input, (i, j) => {
    let s = 0;
    for (const film of liked[j]) if (stars.data[i * f + film] === 0) s += predicted.data[i * f + film];
    return s / Math.max(1, liked[j].length) ** power;
  });
}
