import { describe, expect, it } from "vitest";
import { interactionMatrix } from "../../lib/items/interactions";
import { itemKnnNeighbours } from "../../lib/items/item-knn";
import {
  indexNeighbours,
  scoreHistory,
  scoreIndexedHistory,
  scoreIndexedParts,
  scoringScratch,
} from "../../lib/items/neighbours";
import { capPerCategory } from "../../lib/products/fallbacks";
import { Rng } from "../../lib/random";

describe("the daily batch's numbered scoring", () => {
  it("gives every person the same list as the per-request scorer, and never their own items", () => {
    const rng = new Rng(7);
    const interactions = Array.from({ length: 3000 }, () => ({
      person: `u${rng.int(0, 199)}`,
      item: `p${Math.floor(rng.next() ** 2 * 300)}`,
      weight: rng.int(1, 5),
    }));
    const m = interactionMatrix(interactions);
    const neighbours = itemKnnNeighbours(m, 20);
    const indexed = indexNeighbours(neighbours, m.items);
    const scratch = scoringScratch(indexed);
    let compared = 0;
    for (let p = 0; p < m.people.length; p++) {
      const row = m.byPerson[p];
      const history = [...row.items].map((i, k) => ({ item: m.items[i], weight: row.weights[k] }));
      const expected = scoreHistory(neighbours, history, 50, new Set(history.map((h) => h.item)));
      const got = scoreIndexedHistory(indexed, row.items, row.weights, 50, scratch);
      expect(got.map((g) => g.id)).toEqual(expected.map((e) => e.id));
      expect(got.some((g) => history.some((h) => h.item === g.id))).toBe(false);
      compared += got.length;
    }
    expect(compared).toBeGreaterThan(1000);
    expect(scratch.sum.every((v) => v === 0) && scratch.mark.every((v) => v === 0)).toBe(true);
  });

  it("sums two models over the same items (next titles: loved + weight x held) and suggests none of either part's items", () => {
    const rng = new Rng(11);
    const interactions = Array.from({ length: 2000 }, () => ({
      person: `u${rng.int(0, 99)}`,
      item: `t${Math.floor(rng.next() ** 2 * 200)}`,
      weight: 1,
    }));
    const held = interactionMatrix(interactions);
    // The loved part: a third of the interactions, numbered as the held matrix.
    const loved = interactionMatrix(
      interactions.map((x, i) => ({ ...x, weight: i % 3 === 0 ? 1 : 0 })),
      held.items,
    );
    expect(loved.items.slice(0, held.items.length)).toEqual(held.items);
    const [a, b] = [loved, held].map((m) => indexNeighbours(itemKnnNeighbours(m, 20), held.items));
    const scratch = scoringScratch(b);
    for (let p = 0; p < held.people.length; p++) {
      const mine = held.byPerson[p].items;
      const lovedItems = mine.filter((_, k) => k % 2 === 0);
      const got = scoreIndexedParts(
        [
          { neighbours: a, items: lovedItems, weights: new Float64Array(lovedItems.length).fill(1) },
          { neighbours: b, items: mine, weights: new Float64Array(mine.length).fill(0.5) },
        ],
        10,
        scratch,
      );
      // By hand: each part's whole score map, summed, the person's items left out.
      const sum = new Map<string, number>();
      for (const [n, items, w] of [
        [a, lovedItems, 1],
        [b, mine, 0.5],
      ] as const)
        for (const i of items)
          n.ids[i].forEach((j, x) => sum.set(n.items[j], (sum.get(n.items[j]) ?? 0) + w * n.scores[i][x]));
      const own = new Set([...mine].map((i) => held.items[i]));
      const expected = [...sum]
        .filter(([id, s]) => s > 0 && !own.has(id))
        .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
        .slice(0, 10);
      expect(got.map((g) => g.id)).toEqual(expected.map(([id]) => id));
    }
    expect(scratch.sum.every((v) => v === 0) && scratch.mark.every((v) => v === 0)).toBe(true);
  });

  it("caps a category at its share while other categories remain, then fills up", () => {
    const list = ["a", "a", "a", "a", "b", "a", "c"].map((top, i) => ({ id: `p${i}`, score: 10 - i, top }));
    // limit 5 at 30%: at most 2 from a while b and c remain.
    expect(capPerCategory(list, 5, 0.3).map((c) => c.id)).toEqual(["p0", "p1", "p4", "p6", "p2"]);
  });
});
