/** Per item, the items it leads to with a weight: the one shape every item model is served in. */
export type ItemNeighbours = Map<string, { ids: string[]; scores: Float64Array }>;

/** The k largest positive entries of a row (skipping `self`; only `candidates` when given), best first. */
export function topOfRow(
  row: ArrayLike<number>,
  k: number,
  self: number,
  candidates?: readonly number[],
): { index: number[]; score: number[] } {
  const index: number[] = [];
  const score: number[] = [];
  const count = candidates ? candidates.length : row.length;
  for (let c = 0; c < count; c++) {
    const j = candidates ? candidates[c] : c;
    const s = row[j];
    if (j === self || !(s > 0)) continue;
    if (index.length === k && s <= score[k - 1]) continue;
    let at = index.length === k ? k - 1 : index.length;
    if (index.length < k) {
      index.push(j);
      score.push(s);
    }
    while (at > 0 && score[at - 1] < s) {
      index[at] = index[at - 1];
      score[at] = score[at - 1];
      at--;
    }
    index[at] = j;
    score[at] = s;
  }
  return { index, score };
}

/**
 * Scores items for a history of weighted items through the neighbour lists (what EASE's x·B and
 * item-kNN's sum of similarities both are, truncated to each item's top neighbours), best first.
 * The same function answers a person's daily list, a session and a cart.
 */
export function scoreHistory(
  neighbours: ItemNeighbours,
  history: Iterable<{ item: string; weight: number }>,
  k: number,
  exclude: ReadonlySet<string> = new Set(),
): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const { item, weight } of history) {
    const row = neighbours.get(item);
    if (!row) continue;
    for (let n = 0; n < row.ids.length; n++) {
      const id = row.ids[n];
      scores.set(id, (scores.get(id) ?? 0) + weight * row.scores[n]);
    }
  }
  return [...scores]
    .filter(([id, s]) => s > 0 && !exclude.has(id))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([id, score]) => ({ id, score }));
}

/** Neighbour lists over dense item numbers: what a batch scoring every person reads. */
export interface IndexedNeighbours {
  items: string[];
  /** Per item number: its neighbours' numbers and weights (empty when it has none). */
  ids: Int32Array[];
  scores: Float64Array[];
}

/** Numbers the items of `neighbours` (starting from `items`' order, so a matrix's numbers hold). */
export function indexNeighbours(neighbours: ItemNeighbours, items: readonly string[]): IndexedNeighbours {
  const number = new Map(items.map((id, i) => [id, i]));
  const all = [...items];
  const numberOf = (id: string) => {
    let n = number.get(id);
    if (n === undefined) {
      n = all.length;
      number.set(id, n);
      all.push(id);
    }
    return n;
  };
  const rows = new Map<number, { ids: Int32Array; scores: Float64Array }>();
  for (const [item, row] of neighbours) {
    rows.set(numberOf(item), { ids: Int32Array.from(row.ids, numberOf), scores: row.scores });
  }
  const empty = { ids: new Int32Array(0), scores: new Float64Array(0) };
  const dense = all.map((_, i) => rows.get(i) ?? empty);
  return { items: all, ids: dense.map((r) => r.ids), scores: dense.map((r) => r.scores) };
}

/**
 * scoreHistory over numbered items, for scoring many histories in a row: `scratch`
 * (scoringScratch) is reused and left clean. Same order and ties as scoreHistory.
 */
export function scoreIndexedHistory(
  n: IndexedNeighbours,
  items: ArrayLike<number>,
  weights: ArrayLike<number>,
  k: number,
  scratch: ScoringScratch,
): { id: string; score: number }[] {
  return scoreIndexedParts([{ neighbours: n, items, weights }], k, scratch);
}

/**
 * A history scored through several models over the same item numbers (each part its neighbour
 * lists, its items and their weights), the parts' scores summed. No part's items are suggested.
 */
export function scoreIndexedParts(
  parts: readonly { neighbours: IndexedNeighbours; items: ArrayLike<number>; weights: ArrayLike<number> }[],
  k: number,
  scratch: ScoringScratch,
): { id: string; score: number }[] {
  const { sum, mark } = scratch;
  const touched: number[] = [];
  for (const { neighbours: n, items, weights } of parts) {
    for (let h = 0; h < items.length; h++) {
      const ids = n.ids[items[h]];
      const scores = n.scores[items[h]];
      const w = weights[h];
      for (let x = 0; x < ids.length; x++) {
        const j = ids[x];
        if (mark[j] === 0) {
          mark[j] = 1;
          touched.push(j);
        }
        sum[j] += w * scores[x];
      }
    }
  }
  // The history itself is never suggested.
  for (const { items } of parts) for (let h = 0; h < items.length; h++) mark[items[h]] = 2;
  // Only the k best need ordering as objects: find the k-th score first, by insertion into the
  // best k (near one comparison per item when k is small against the items touched).
  const open = touched.filter((j) => mark[j] === 1);
  const best = topOfRow(sum, k, -1, open);
  const bar = best.score.length === k ? best.score[k - 1] : 0;
  const names = parts[0]?.neighbours.items ?? [];
  const out: { id: string; score: number }[] = [];
  for (const j of touched) {
    if (mark[j] === 1 && sum[j] > 0 && sum[j] >= bar) out.push({ id: names[j], score: sum[j] });
    sum[j] = 0;
  }
  for (const j of touched) mark[j] = 0;
  for (const { items } of parts) for (let h = 0; h < items.length; h++) mark[items[h]] = 0;
  out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return out.slice(0, k);
}

export interface ScoringScratch {
  sum: Float64Array;
  mark: Uint8Array;
}

export function scoringScratch(n: IndexedNeighbours): ScoringScratch {
  return { sum: new Float64Array(n.items.length), mark: new Uint8Array(n.items.length) };
}
