import type { InteractionMatrix } from "./interactions";
import { topOfRow, type ItemNeighbours } from "./neighbours";

/**
 * Item-kNN: cosine similarity between items' columns of X, computed sparsely (each item against
 * the items its people also touched), each item's top `k` kept. Memory grows with the neighbour
 * lists, not with n², so it serves catalogues too large for EASE. `shrink` damps similarities
 * resting on few shared people.
 */
export function itemKnnNeighbours(m: InteractionMatrix, k: number, shrink = 10): ItemNeighbours {
  const n = m.items.length;
  const norms = m.byItem.map(({ weights }) => Math.sqrt(weights.reduce((s, w) => s + w * w, 0)));
  const dots = new Float64Array(n);
  const shared = new Int32Array(n);
  const touched: number[] = [];
  const out: ItemNeighbours = new Map();
  for (let i = 0; i < n; i++) {
    const col = m.byItem[i];
    for (let u = 0; u < col.people.length; u++) {
      const row = m.byPerson[col.people[u]];
      const wi = col.weights[u];
      for (let x = 0; x < row.items.length; x++) {
        const j = row.items[x];
        if (shared[j] === 0) touched.push(j);
        shared[j]++;
        dots[j] += wi * row.weights[x];
      }
    }
    for (const j of touched) dots[j] = (dots[j] / (norms[i] * norms[j] + 1e-12)) * (shared[j] / (shared[j] + shrink));
    const top = topOfRow(dots, k, i, touched);
    out.set(m.items[i], { ids: top.index.map((j) => m.items[j]), scores: Float64Array.from(top.score) });
    for (const j of touched) {
      dots[j] = 0;
      shared[j] = 0;
    }
    touched.length = 0;
  }
  return out;
}
