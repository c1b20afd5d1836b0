/**
 * Vote sets: a slate's people chosen together for what their favorites, taken as votes, would
 * point the viewer to. Each person in the slate "votes" for the titles they love that the viewer
 * does not have; the titles with the most votes (ties: the more widely loved) are what the slate
 * as a whole recommends. The viewer's target is the titles an item model predicts they will love
 * next (lib/taste/next-titles.ts). The slate is built greedily: each step adds the candidate whose
 * votes most raise the DCG of the slate's top `topN` titles against the target, ties to the
 * candidate with the higher prior (the ranker's score, or a similarity), so once nobody changes
 * the top titles the rest follow the prior.
 *
 * On MovieLens 100K this takes the served neighbours' collaborative filter from 1.06x to 1.11x
 * plain cosine (eval/movielens/vote-set.ts, eval/results/eval-ml-100k-methods.md): neighbours
 * scored one at a time, by any similarity tried, stayed at or below 1.07x.
 *
 * Adding a voter raises the votes of their own titles only, so the new top list is the top of the
 * old one and those titles: a step costs |titles of the candidate| + topN, not the vote table.
 */
export interface VoteCandidate<Id> {
  id: Id;
  prior: number;
  /** Titles this person loves (the viewer's own titles already left out, or left to `owned`). */
  titles: readonly string[];
}

export interface VoteSetOptions {
  /** Title -> weight of the viewer's predicted next titles (their DCG gain). */
  target: ReadonlyMap<string, number>;
  /** How widely loved a title is: breaks ties between titles with the same votes. */
  popularity: (title: string) => number;
  /** Titles the viewer has: nobody's vote for them counts. */
  owned?: ReadonlySet<string>;
  /** How many candidates to choose. */
  k: number;
  /** The length of the list the votes make (the DCG's cut-off). */
  topN: number;
  /**
   * Whether a candidate may come next after those chosen (a community cap); when nobody may,
   * the best of all is taken, as MMR's cap yields.
   */
  fits?: (chosen: readonly number[], candidate: number) => boolean;
  /** Candidates (by index) already on the slate, in order: their votes count and they come first. */
  pinned?: readonly number[];
}

/** The chosen candidates, in the order chosen (at most `k`); `fits` sees candidates by their index. */
export function chooseVoteSet<Id>(candidates: readonly VoteCandidate<Id>[], options: VoteSetOptions): Id[] {
  const { target, owned, topN } = options;
  // Titles numbered once, in tie order (more fans first, then the id), so a comparison is two
  // integer reads: votes, then the number.
  const names = new Set<string>();
  for (const c of candidates) for (const t of c.titles) if (!owned?.has(t)) names.add(t);
  const fans = new Map([...names].map((t) => [t, options.popularity(t)]));
  const ordered = [...names].sort((a, b) => fans.get(b)! - fans.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const number = new Map(ordered.map((t, i) => [t, i]));
  const titles = candidates.map((c) => Int32Array.from(new Set(c.titles.flatMap((t) => number.get(t) ?? []))));
  const weight = Float64Array.from(ordered, (t) => target.get(t) ?? 0);
  const discount = Float64Array.from({ length: topN }, (_, rank) => 1 / Math.log2(rank + 2));
  const votes = new Int32Array(ordered.length);
  const seen = new Int32Array(ordered.length);
  let stamp = 0;
  const before = (a: number, b: number) => votes[a] > votes[b] || (votes[a] === votes[b] && a < b);

  let top = new Int32Array(topN);
  let topLength = 0;
  let next = new Int32Array(topN);
  /** The top list with `added`'s votes counted: the top of the old top list and those titles. */
  const topWith = (added: Int32Array): number => {
    stamp++;
    let length = 0;
    const consider = (t: number) => {
      if (seen[t] === stamp) return;
      seen[t] = stamp;
      if (length === topN && !before(t, next[topN - 1])) return;
      let at = length < topN ? length++ : topN - 1;
      while (at > 0 && before(t, next[at - 1])) {
        next[at] = next[at - 1];
        at--;
      }
      next[at] = t;
    };
    for (let i = 0; i < topLength; i++) consider(top[i]);
    for (const t of added) consider(t);
    return length;
  };
  const gain = (length: number) => {
    let s = 0;
    for (let rank = 0; rank < length; rank++) s += weight[next[rank]] * discount[rank];
    return s;
  };
  // The prior only breaks ties: scaled below the smallest DCG step a title can make.
  const maxPrior = Math.max(1e-9, ...candidates.map((c) => Math.abs(c.prior)));
  const tieBreak = 1e-6 / maxPrior;
  const remaining = new Set(candidates.keys());
  const chosen: number[] = [];
  for (const i of options.pinned ?? []) {
    remaining.delete(i);
    chosen.push(i);
    for (const t of titles[i]) votes[t]++;
    topLength = topWith(titles[i]);
    [top, next] = [next, top];
  }
  while (chosen.length < options.k && remaining.size) {
    let best = -1;
    let bestValue = -Infinity;
    let fallback = -1;
    let fallbackValue = -Infinity;
    for (const i of remaining) {
      for (const t of titles[i]) votes[t]++;
      const value = gain(topWith(titles[i])) + tieBreak * candidates[i].prior;
      for (const t of titles[i]) votes[t]--;
      if (!options.fits || options.fits(chosen, i)) {
        if (value > bestValue) [best, bestValue] = [i, value];
      } else if (value > fallbackValue) [fallback, fallbackValue] = [i, value];
    }
    if (best < 0) best = fallback;
    remaining.delete(best);
    chosen.push(best);
    for (const t of titles[best]) votes[t]++;
    topLength = topWith(titles[best]);
    [top, next] = [next, top];
  }
  return chosen.map((i) => candidates[i].id);
}

/** A target from a best-first list of titles: weight 1/log2(rank + 2), the DCG's discount. */
export function targetFromList(titles: readonly string[], topN: number): Map<string, number> {
  return new Map(titles.slice(0, topN).map((t, rank) => [t, 1 / Math.log2(rank + 2)]));
}
