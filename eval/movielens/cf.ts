import { aggregateExposureRatios, disparateImpact, poolShares } from "../../lib/discovery/fairness";
import { catalogueCoverage, mean, ndcgAt, precisionAt, recallAt } from "../metrics";
import { RELEVANT_RATING, type KeyedRating } from "./split";

export const NEIGHBOURS = 50;
export const TOP_N = 10;

/** Training data as the collaborative filter reads it. */
export interface TrainingView {
  /** Per person, the films they rated (any rating). */
  rated: Map<number, Set<string>>;
  /** Per person, the films they rated >= RELEVANT_RATING. */
  liked: Map<number, string[]>;
  /** Per film, how many people rated it (the tie-break). */
  popularity: Map<string, number>;
  films: string[];
}

export function trainingView(train: ReadonlyMap<number, KeyedRating[]>): TrainingView {
  const rated = new Map<number, Set<string>>();
  const liked = new Map<number, string[]>();
  const popularity = new Map<string, number>();
  for (const [user, ratings] of train) {
    rated.set(user, new Set(ratings.map((r) => r.film)));
    liked.set(
      user,
      ratings.filter((r) => r.rating >= RELEVANT_RATING).map((r) => r.film),
    );
    for (const r of ratings) popularity.set(r.film, (popularity.get(r.film) ?? 0) + 1);
  }
  return { rated, liked, popularity, films: [...popularity.keys()].sort() };
}

const byVotesThenPopularity = (view: TrainingView) => (a: [string, number], b: [string, number]) =>
  b[1] - a[1] || (view.popularity.get(b[0]) ?? 0) - (view.popularity.get(a[0]) ?? 0) || a[0].localeCompare(b[0]);

/**
 * User-based collaborative filtering from a neighbour list: the first NEIGHBOURS neighbours,
 * unweighted, each vote for the training films they rated >= 4 that the person has not rated;
 * the top TOP_N films by votes, ties by popularity (then film key, so lists are reproducible).
 */
export function recommendFromNeighbours(view: TrainingView, user: number, neighbours: readonly number[]): string[] {
  const own = view.rated.get(user) ?? new Set<string>();
  const votes = new Map<string, number>();
  for (const n of neighbours.slice(0, NEIGHBOURS)) {
    for (const film of view.liked.get(n) ?? []) if (!own.has(film)) votes.set(film, (votes.get(film) ?? 0) + 1);
  }
  return [...votes]
    .sort(byVotesThenPopularity(view))
    .slice(0, TOP_N)
    .map(([film]) => film);
}

/** The most popular films the person has not rated (the popular baseline, no neighbours). */
export function popularFilms(view: TrainingView, user: number): string[] {
  const own = view.rated.get(user) ?? new Set<string>();
  const ranked = [...view.popularity].sort(byVotesThenPopularity(view));
  const out: string[] = [];
  for (const [film] of ranked) {
    if (!own.has(film)) out.push(film);
    if (out.length === TOP_N) break;
  }
  return out;
}

export interface CfMetrics {
  precisionAt10: number;
  recallAt10: number;
  ndcgAt10: number;
  /** Share of the training catalogue recommended to at least one person. */
  coverage: number;
  /**
   * Disparate impact of exposure by gender: each group's share of position-weighted appearances
   * in others' neighbour lists over its share of people, smaller ratio / larger. Null without
   * neighbour lists (the popular baseline).
   */
  genderDisparateImpact: number | null;
}

/** Scores the top-10 lists (and the neighbour lists that made them) of the evaluated people. */
export function scoreLists(
  view: TrainingView,
  people: readonly number[],
  lists: ReadonlyMap<number, string[]>,
  relevant: ReadonlyMap<number, Set<string>>,
  neighbours: ReadonlyMap<number, number[]> | null,
  gender: ReadonlyMap<number, string>,
): CfMetrics {
  const per = (f: (list: string[], rel: Set<string>) => number) =>
    mean(people.map((p) => f(lists.get(p) ?? [], relevant.get(p) ?? new Set())));
  let di: number | null = null;
  if (neighbours) {
    const shares = poolShares([...view.rated.keys()].map((p) => gender.get(p) ?? null));
    di = disparateImpact(
      aggregateExposureRatios(
        people.map((p) => ({
          slateGroups: (neighbours.get(p) ?? []).slice(0, NEIGHBOURS).map((n) => gender.get(n) ?? null),
          shares,
        })),
      ),
    );
  }
  return {
    precisionAt10: per((l, r) => precisionAt(TOP_N, l, r)),
    recallAt10: per((l, r) => recallAt(TOP_N, l, r)),
    ndcgAt10: per((l, r) => ndcgAt(TOP_N, l, r)),
    coverage: catalogueCoverage(
      TOP_N,
      people.map((p) => lists.get(p) ?? []),
      view.films.length,
    ),
    genderDisparateImpact: di,
  };
}
