/**
 * Offline ranking metrics over one recommended list and the viewer's held-out relevant set, plus
 * the list-level and catalogue-level measures the eval reports. Binary relevance throughout.
 */

export function precisionAt(k: number, list: readonly string[], relevant: ReadonlySet<string>): number {
  const top = list.slice(0, k);
  // Divided by k, not by the list's length: a short list is not rewarded for saying little.
  return top.filter((id) => relevant.has(id)).length / k;
}

export function recallAt(k: number, list: readonly string[], relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0;
  return list.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

/** NDCG@k with binary gains; the ideal list puts min(k, |relevant|) relevant users on top. */
export function ndcgAt(k: number, list: readonly string[], relevant: ReadonlySet<string>): number {
  let dcg = 0;
  list.slice(0, k).forEach((id, rank) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(rank + 2);
  });
  let ideal = 0;
  for (let rank = 0; rank < Math.min(k, relevant.size); rank++) ideal += 1 / Math.log2(rank + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

/**
 * Intra-list diversity: mean pairwise cosine distance (1 - cosine) between the list's members'
 * unit vectors; members without a vector are skipped. 0: all alike.
 */
export function intraListDiversity(list: readonly string[], vectors: ReadonlyMap<string, Float32Array>): number {
  const vs = list.map((id) => vectors.get(id)).filter((v): v is Float32Array => v !== undefined);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < vs.length; i++) {
    for (let j = i + 1; j < vs.length; j++) {
      let dot = 0;
      for (let d = 0; d < vs[i].length; d++) dot += vs[i][d] * vs[j][d];
      sum += 1 - dot;
      pairs++;
    }
  }
  return pairs > 0 ? sum / pairs : 0;
}

/** Catalogue coverage: the share of recommendable users shown in at least one list's top k. */
export function catalogueCoverage(k: number, lists: readonly (readonly string[])[], catalogueSize: number): number {
  const shown = new Set<string>();
  for (const list of lists) for (const id of list.slice(0, k)) shown.add(id);
  return catalogueSize > 0 ? shown.size / catalogueSize : 0;
}

export const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
