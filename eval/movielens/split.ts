import { Rng } from "../../lib/random";
import type { MovieLens, MovieLensRating } from "./data";

export type SplitKind = "random" | "temporal";

/** A person's ratings on distinct films (keyed by film key; a film listed twice counts once). */
export interface KeyedRating {
  film: string;
  rating: number;
  at: Date;
  /** A MovieLens item id of the film, for the export. */
  item: number;
}

export interface Split {
  kind: SplitKind;
  /** Per person, the ratings the systems may see (imported into the product). */
  train: Map<number, KeyedRating[]>;
  /** Per person, the held-out films rated >= RELEVANT_RATING: what a good top 10 finds. */
  relevant: Map<number, Set<string>>;
  /** Per person, every held-out film (to check nothing leaks into training). */
  test: Map<number, KeyedRating[]>;
}

export const TEST_SHARE = 0.2;
export const RELEVANT_RATING = 4;

/** One rating per distinct film: the latest (MovieLens lists a few films under two ids). */
function keyed(data: MovieLens, ratings: MovieLensRating[]): KeyedRating[] {
  const byFilm = new Map<string, KeyedRating>();
  for (const r of ratings) {
    const film = data.films.get(r.film)!.key;
    const prev = byFilm.get(film);
    if (!prev || r.at >= prev.at) byFilm.set(film, { film, rating: r.rating, at: r.at, item: r.film });
  }
  return [...byFilm.values()].sort((a, b) => a.at.getTime() - b.at.getTime() || a.film.localeCompare(b.film));
}

/**
 * Each person's ratings split 80/20: `random` draws the held-out 20% with a seeded generator per
 * person; `temporal` holds out each person's last 20% by time (ties by film).
 */
export function splitRatings(data: MovieLens, kind: SplitKind, seed: number): Split {
  const train = new Map<number, KeyedRating[]>();
  const test = new Map<number, KeyedRating[]>();
  const relevant = new Map<number, Set<string>>();
  for (const [user, ratings] of data.ratingsByUser) {
    const all = keyed(data, ratings);
    const nTest = Math.round(all.length * TEST_SHARE);
    let held: KeyedRating[];
    if (kind === "temporal") held = all.slice(all.length - nTest);
    else held = new Rng(seed * 100_003 + user).sample(all, nTest);
    const heldSet = new Set(held);
    train.set(
      user,
      all.filter((r) => !heldSet.has(r)),
    );
    test.set(user, held);
    relevant.set(user, new Set(held.filter((r) => r.rating >= RELEVANT_RATING).map((r) => r.film)));
  }
  return { kind, train, test, relevant };
}
