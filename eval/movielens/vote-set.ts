import { ndcgAt } from "../metrics";
import { TOP_N } from "./cf";
import { easeWeights, type Dense } from "./models";
import { topK, type NeighbourLists } from "./neighbours";
import type { RuleInput } from "./neighbour-rules";
import { Rng } from "../../lib/random";

/**
 * Vote-set selection: the neighbours are chosen together, for the list their votes make, rather
 * one at a time by similarity. From a person's pool (their nearest by a similarity), neighbours
 * are added greedily, each time the one whose votes most raise the DCG of the CF's top 10 (votes,
 * ties by popularity, as cf.ts ranks) against a target: the films an item model predicts the
 * person will like next (their top TOP_N, weighted 1/log2(rank + 1)). The similarity breaks ties,
 * so once no one changes the top 10 the rest are the nearest left.
 *
 * Adding a neighbour only raises the votes of their own films, so the new top 10 is the top 10 of
 * the old one and those films: a step costs |liked(v)| + 10, not the whole vote table.
 */
export function voteSetNeighbours(
  input: RuleInput,
  options: { similarity: Float64Array; predicted: (row: number) => Float64Array; pool: number; k: number },
): NeighbourLists {
  const { users, view, column } = input;
  const n = users.length;
  const films = input.stars.cols;
  const popularity = new Float64Array(films);
  for (const [film, c] of view.popularity) popularity[column.get(film)!] = c;
  const liked = users.map((u) => Int32Array.from(view.liked.get(u) ?? [], (f) => column.get(f)!));
  const rows = users.map((_, i) => i);
  const index = new Map(users.map((u, i) => [u, i]));
  const out: NeighbourLists = new Map();
  for (const person of input.people) {
    const i = index.get(person)!;
    const own = (f: number) => input.stars.data[i * films + f] !== 0;
    const target = targetWeights(options.predicted(i), own, TOP_N);
    const votes = new Int32Array(films);
    const before = (a: number, b: number) => votes[b] - votes[a] || popularity[b] - popularity[a] || a - b;
    const topWith = (top: number[], v: number) => {
      const merged = new Set(top);
      for (const f of liked[v]) if (!own(f)) merged.add(f);
      return [...merged].sort(before).slice(0, TOP_N);
    };
    const dcg = (list: number[]) => list.reduce((s, f, r) => s + (target.get(f) ?? 0) / Math.log2(r + 2), 0);
    const remaining = new Set(topK(i, rows, options.pool, (o) => options.similarity[i * n + o]));
    const chosen: number[] = [];
    let top: number[] = [];
    while (chosen.length < options.k && remaining.size) {
      let best = -1;
      let bestScore = -Infinity;
      for (const v of remaining) {
        for (const f of liked[v]) if (!own(f)) votes[f]++;
        const s = dcg(topWith(top, v)) + 1e-3 * options.similarity[i * n + v];
        for (const f of liked[v]) if (!own(f)) votes[f]--;
        if (s > bestScore) [best, bestScore] = [v, s];
      }
      remaining.delete(best);
      chosen.push(best);
      for (const f of liked[best]) if (!own(f)) votes[f]++;
      top = topWith(top, best);
    }
    out.set(
      person,
      chosen.map((r) => users[r]),
    );
  }
  return out;
}

/** The person's top `n` unrated films by the prediction, weighted 1/log2(rank + 1). */
function targetWeights(predicted: Float64Array, own: (f: number) => boolean, n: number): Map<number, number> {
  const unrated: number[] = [];
  for (let f = 0; f < predicted.length; f++) if (!own(f)) unrated.push(f);
  unrated.sort((a, b) => predicted[b] - predicted[a] || a - b);
  return new Map(unrated.slice(0, n).map((f, r) => [f, 1 / Math.log2(r + 2)]));
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

/**
 * EASE's λ chosen without the held-out films: each person's liked training films are split again
 * (a seeded 20% set aside), EASE is fitted on the rest for each λ, and the λ whose top 10 scores
 * the best NDCG@10 on the set-aside films wins.
 */
export function validatedEaseLambda(
  input: RuleInput,
  lambdas: readonly number[],
  seed: number,
): { lambda: number; ndcg: Map<number, number> } {
  const { stars } = input;
  const m = stars.cols;
  const fit: Dense = { ...stars, data: Float64Array.from(stars.data) };
  const aside = input.users.map((_, i) => {
    const liked: number[] = [];
    for (let f = 0; f < m; f++) if (stars.data[i * m + f] >= 4) liked.push(f);
    const held = new Rng(seed * 7_919 + i).sample(liked, Math.round(liked.length * 0.2));
    for (const f of held) fit.data[i * m + f] = 0;
    return new Set(held.map(String));
  });
  const x = likedMatrix(fit);
  const ndcg = new Map<number, number>();
  for (const lambda of lambdas) {
    const predict = easeRow(x, easeWeights(x, lambda));
    let sum = 0;
    let count = 0;
    input.users.forEach((_, i) => {
      if (!aside[i].size) return;
      const own = (f: number) => fit.data[i * m + f] !== 0;
      const top = [...targetWeights(predict(i), own, TOP_N).keys()].map(String);
      sum += ndcgAt(TOP_N, top, aside[i]);
      count++;
    });
    ndcg.set(lambda, sum / count);
  }
  const lambda = [...ndcg].sort((a, b) => b[1] - a[1])[0][0];
  return { lambda, ndcg };
}
