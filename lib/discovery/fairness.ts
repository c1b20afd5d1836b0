/**
 * Exposure fairness across a protected audit attribute. Exposure of a slate position follows the
 * usual logarithmic attention model (1 / log2(rank + 2), rank from 0). Parity means each group's
 * share of the slate's exposure equals its share of the eligible pool; the issue allows +/-10%
 * (a ratio of 0.9..1.1 per group, so disparate impact min/max stays within 0.8..1.25). Candidates
 * without a recorded group are neither counted nor forced.
 */

export function positionWeight(rank: number): number {
  return 1 / Math.log2(rank + 2);
}

/** Each known group's share of the pool. */
export function poolShares(groups: readonly (string | null)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const g of groups) if (g !== null) counts.set(g, (counts.get(g) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return new Map([...counts].map(([g, n]) => [g, n / total]));
}

/** Per group: (share of the slate's exposure) / (share of the pool). 1 is exact parity. */
export function exposureRatios(
  slateGroups: readonly (string | null)[],
  shares: ReadonlyMap<string, number>,
): Map<string, number> {
  const exposure = new Map<string, number>([...shares.keys()].map((g) => [g, 0]));
  let total = 0;
  slateGroups.forEach((g, rank) => {
    if (g === null || !shares.has(g)) return;
    exposure.set(g, exposure.get(g)! + positionWeight(rank));
    total += positionWeight(rank);
  });
  return new Map([...shares].map(([g, p]) => [g, total > 0 ? exposure.get(g)! / total / p : 0]));
}

/**
 * Aggregate ratios over many slates (what the audit reports): each slate's expected exposure per
 * group (pool share x slate exposure) is summed beside what the group actually got.
 */
export function aggregateExposureRatios(
  slates: { slateGroups: readonly (string | null)[]; shares: ReadonlyMap<string, number> }[],
): Map<string, number> {
  const got = new Map<string, number>();
  const due = new Map<string, number>();
  for (const { slateGroups, shares } of slates) {
    let total = 0;
    slateGroups.forEach((g, rank) => {
      if (g === null || !shares.has(g)) return;
      got.set(g, (got.get(g) ?? 0) + positionWeight(rank));
      total += positionWeight(rank);
    });
    for (const [g, p] of shares) due.set(g, (due.get(g) ?? 0) + p * total);
  }
  return new Map([...due].map(([g, d]) => [g, d > 0 ? (got.get(g) ?? 0) / d : 0]));
}

/** min ratio / max ratio: 1 is parity; the accepted band is 0.8..1.25. */
export function disparateImpact(ratios: ReadonlyMap<string, number>): number {
  const values = [...ratios.values()];
  if (values.length < 2) return 1;
  const max = Math.max(...values);
  return max > 0 ? Math.min(...values) / max : 1;
}

function maxDeviation(slateGroups: readonly (string | null)[], shares: ReadonlyMap<string, number>): number {
  let worst = 0;
  for (const r of exposureRatios(slateGroups, shares).values()) worst = Math.max(worst, Math.abs(r - 1));
  return worst;
}

/**
 * The fairness re-ranking step. Takes a slate in merit order and the bench (the rest of the pool,
 * in merit order) and repairs exposure with the fewest, lowest-placed changes: each round makes
 * the one move (swap two slate positions of different groups, or replace a slate entry with the
 * best benched candidate of another group) that most reduces the worst deviation from parity,
 * preferring moves lower in the slate; it stops once every group is within the tolerance or no
 * move helps. `allowed` lets the caller veto a move (the community cap).
 */
export function repairExposure<T extends { group: string | null }>(
  slate: readonly T[],
  bench: readonly T[],
  shares: ReadonlyMap<string, number>,
  tolerance: number,
  allowed: (slate: readonly T[]) => boolean = () => true,
): T[] {
  let current = [...slate];
  let rest = [...bench];
  if (shares.size < 2) return current;
  for (let round = 0; round < 2 * current.length; round++) {
    const groups = current.map((c) => c.group);
    const deviation = maxDeviation(groups, shares);
    if (deviation <= tolerance) break;
    let best: { slate: T[]; bench: T[]; deviation: number } | null = null;
    const consider = (next: T[], nextBench: T[]) => {
      const d = maxDeviation(
        next.map((c) => c.group),
        shares,
      );
      // Once a move reaches the band, the first found (lowest placed) such move wins; until
      // then, the move that helps most.
      const better = !best || (best.deviation > tolerance && d < best.deviation - 1e-9);
      if (d < deviation - 1e-9 && better && allowed(next)) {
        best = { slate: next, bench: nextBench, deviation: d };
      }
    };
    // Lowest positions first, so among equally good moves the least visible one wins.
    for (let i = current.length - 1; i >= 0; i--) {
      for (let j = current.length - 1; j > i; j--) {
        if (current[i].group === current[j].group) continue;
        const next = [...current];
        [next[i], next[j]] = [next[j], next[i]];
        consider(next, rest);
      }
      const seen = new Set<string | null>([current[i].group]);
      rest.forEach((candidate, k) => {
        if (seen.has(candidate.group)) return;
        seen.add(candidate.group); // the best benched candidate of each group only
        const next = [...current];
        next[i] = candidate;
        const nextBench = [...rest];
        nextBench.splice(k, 1, current[i]);
        consider(next, nextBench);
      });
    }
    if (!best) break;
    current = (best as { slate: T[] }).slate;
    rest = (best as { bench: T[] }).bench;
  }
  return current;
}

/**
 * The group position `k` (1-based) is owed to under proportional prefixes: one holding fewer than
 * floor(share x k) of the first k and with candidates left (`hasMore`), the largest share first;
 * null when no group is behind.
 */
export function owedGroup(
  shares: ReadonlyMap<string, number>,
  k: number,
  held: (group: string) => number,
  hasMore: (group: string) => boolean,
): string | null {
  let owed: string | null = null;
  for (const [g, p] of shares) {
    if (held(g) < Math.floor(p * k) && hasMore(g) && (owed === null || p > shares.get(owed)!)) owed = g;
  }
  return owed;
}

/**
 * Proportional prefixes: walks the slate in its order and, wherever a group has fewer than
 * floor(share x prefix length) entries, gives the position to that group's next candidate (from
 * later in the slate, else from the bench) so every group appears throughout the slate rather
 * than at its end. `fits` says whether a candidate may take a position (the community cap);
 * when none of the owed group fits, its next candidate is taken anyway.
 */
export function proportionalPrefixes<T extends { group: string | null }>(
  slate: readonly T[],
  bench: readonly T[],
  shares: ReadonlyMap<string, number>,
  fits: (chosen: readonly T[], candidate: T) => boolean = () => true,
): { slate: T[]; bench: T[] } {
  const queue = [...slate, ...bench];
  const used = new Uint8Array(queue.length);
  const counts = new Map<string, number>([...shares.keys()].map((g) => [g, 0]));
  const out: T[] = [];
  for (let k = 1; k <= slate.length; k++) {
    const owed = owedGroup(
      shares,
      k,
      (g) => counts.get(g)!,
      (g) => queue.some((c, i) => !used[i] && c.group === g),
    );
    const open = (i: number) => !used[i] && (owed === null || queue[i].group === owed);
    let pick = queue.findIndex((c, i) => open(i) && (i < slate.length || owed !== null) && fits(out, c));
    if (pick < 0) pick = queue.findIndex((_, i) => open(i));
    used[pick] = 1;
    out.push(queue[pick]);
    const g = queue[pick].group;
    if (g !== null && counts.has(g)) counts.set(g, counts.get(g)! + 1);
  }
  return { slate: out, bench: queue.filter((_, i) => !used[i]) };
}

/**
 * Puts each group's members back in merit order over the positions the group holds (the exposure
 * per group is unchanged; repair swaps must not show a weaker candidate above a stronger one of
 * the same group).
 */
export function restoreGroupOrder<T extends { group: string | null }>(
  slate: readonly T[],
  merit: (item: T) => number,
): T[] {
  const byGroup = new Map<string | null, T[]>();
  for (const item of slate) byGroup.set(item.group, [...(byGroup.get(item.group) ?? []), item]);
  for (const members of byGroup.values()) members.sort((a, b) => merit(a) - merit(b));
  const next = new Map<string | null, number>();
  return slate.map((item) => {
    const k = next.get(item.group) ?? 0;
    next.set(item.group, k + 1);
    return byGroup.get(item.group)![k];
  });
}
