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
