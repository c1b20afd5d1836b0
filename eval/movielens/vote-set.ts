import { chooseVoteSet, targetFromList } from "../../lib/discovery/vote-set";
import { ndcgAt } from "../metrics";
import { TOP_N } from "./cf";
import { easeWeights, type Dense } from "./models";
import { topK, type NeighbourLists } from "./neighbours";
import type { RuleInput } from "./neighbour-rules";
import { Rng } from "../../lib/random";

/**
 * Vote-set selection (lib/discovery/vote-set.ts, as served): from a person's pool (their nearest
 * by a similarity), the neighbours are chosen together, for the list their votes make: each step
 * adds the one whose votes most raise the DCG of the CF's top 10 (votes, ties by popularity, as
 * cf.ts ranks) against the films an item model predicts the person will like next (their top
 * TOP_N unrated, weighted 1/log2(rank + 2)); the similarity breaks ties.
 */
export function voteSetNeighbours(
  input: RuleInput,
  options: { similarity: Float64Array; predicted: (row: number) => Float64Array; pool: number; k: number },
): NeighbourLists {
  const { users, view } = input;
  const n = users.length;
  const films = input.stars.cols;
  const rows = users.map((_, i) => i);
  const index = new Map(users.map((u, i) => [u, i]));
  const byColumn = new Map([...input.column].map(([film, j]) => [j, film]));
  const popularity = (film: string) => view.popularity.get(film) ?? 0;
  const out: NeighbourLists = new Map();
  for (const person of input.people) {
    const i = index.get(person)!;
    const own = (f: number) => input.stars.data[i * films + f] !== 0;
    const target = targetFromList(
      unratedByPrediction(options.predicted(i), own, TOP_N).map((f) => byColumn.get(f)!),
      TOP_N,
    );
    const pool = topK(i, rows, options.pool, (o) => options.similarity[i * n + o]);
    const chosen = chooseVoteSet(
      pool.map((o) => ({ id: users[o], prior: options.similarity[i * n + o], titles: view.liked.get(users[o]) ?? [] })),
      { target, popularity, owned: view.rated.get(person), k: options.k, topN: TOP_N },
    );
    out.set(person, chosen);
  }
  return out;
}

/** The person's top `n` unrated films (columns) by the prediction, best first. */
function unratedByPrediction(predicted: Float64Array, own: (f: number) => boolean, n: number): number[] {
  const unrated: number[] = [];
  for (let f = 0; f < predicted.length; f++) if (!own(f)) unrated.push(f);
  unrated.sort((a, b) => predicted[b] - predicted[a] || a - b);
  return unrated.slice(0, n);
}

/** Liked (>= 4 stars) as 1, else 0: the item model's input. */
export function likedMatrix(stars: Dense): Dense {
  return { ...stars, data: stars.data.map((v) => (v >= 4 ? 1 : 0)) };
}

/** Row `row` of x·B: a person's EASE scores for every film. */
export function easeRow(x: Dense, b: Dense): (row: number) => Float64Array {
  const m = x.cols;
  return (row) => {
    const out = new Float64Array(m);
    for (let t = 0; t < m; t++) {
      if (!x.data[row * m + t]) continue;
      const off = t * m;
      for (let j = 0; j < m; j++) out[j] += b.data[off + j];
    }
    return out;
  };
}

/** Rated (any stars) as 1, else 0: what the person chose to watch, liked or not. */
export function ratedMatrix(stars: Dense): Dense {
  return { ...stars, data: stars.data.map((v) => (v !== 0 ? 1 : 0)) };
}

/** A blend of two rows of scores: loved + alpha x held. */
export function blendRows(
  loved: (row: number) => Float64Array,
  held: (row: number) => Float64Array,
  alpha: number,
): (row: number) => Float64Array {
  if (alpha === 0) return loved;
  return (row) => {
    const out = loved(row);
    const other = held(row);
    for (let j = 0; j < out.length; j++) out[j] += alpha * other[j];
    return out;
  };
}

export interface TargetChoice {
  /** EASE's λ for both models. */
  lambda: number;
  /** The held (any rating) model's weight beside the loved one's. */
  alpha: number;
  /** NDCG@10 on the validation split per "λ/α". */
  ndcg: Map<string, number>;
}

/**
 * The next-titles model chosen without the held-out films: each person's training ratings are
 * split again as the evaluation splits them (a seeded 20% set aside; the relevant ones those rated
 * >= 4), EASE is fitted on the rest twice for each λ, on liked films and on every rated film, and
 * the (λ, α) whose blend liked + α x rated scores the best NDCG@10 on the set-aside films wins.
 */
export function validatedTarget(
  input: RuleInput,
  lambdas: readonly number[],
  alphas: readonly number[],
  seed: number,
): TargetChoice {
  const { stars } = input;
  const m = stars.cols;
  const fit: Dense = { ...stars, data: Float64Array.from(stars.data) };
  const aside = input.users.map((_, i) => {
    const rated: number[] = [];
    for (let f = 0; f < m; f++) if (stars.data[i * m + f] !== 0) rated.push(f);
    const held = new Rng(seed * 7_919 + i).sample(rated, Math.round(rated.length * 0.2));
    for (const f of held) fit.data[i * m + f] = 0;
    return new Set(held.filter((f) => stars.data[i * m + f] >= 4).map(String));
  });
  const liked = likedMatrix(fit);
  const rated = ratedMatrix(fit);
  const ndcg = new Map<string, number>();
  let best: { lambda: number; alpha: number; value: number } = { lambda: lambdas[0], alpha: alphas[0], value: -1 };
  for (const lambda of lambdas) {
    const loved = easeRow(liked, easeWeights(liked, lambda));
    const held = easeRow(rated, easeWeights(rated, lambda));
    for (const alpha of alphas) {
      const predict = blendRows(loved, held, alpha);
      let sum = 0;
      let count = 0;
      input.users.forEach((_, i) => {
        if (!aside[i].size) return;
        const own = (f: number) => fit.data[i * m + f] !== 0;
        sum += ndcgAt(TOP_N, unratedByPrediction(predict(i), own, TOP_N).map(String), aside[i]);
        count++;
      });
      const value = sum / count;
      ndcg.set(`${lambda}/${alpha}`, value);
      if (value > best.value) best = { lambda, alpha, value };
    }
  }
  return { lambda: best.lambda, alpha: best.alpha, ndcg };
}
