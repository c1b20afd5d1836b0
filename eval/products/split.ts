import { Rng } from "../../lib/random";
import type { MovieLens } from "../movielens/data";

export const TRAIN_SHARE = 0.75;

export interface HeldOutEvent {
  item: string;
  rating: number;
  at: number;
}

export interface StratifiedSplit {
  /** Per person, training events (item id, rating). */
  train: Map<number, HeldOutEvent[]>;
  /** Per person, every held-out event, oldest first: all relevant. */
  test: Map<number, HeldOutEvent[]>;
}

/**
 * Microsoft Recommenders' python_stratified_split: per person, a random 75% of their ratings to
 * train and the rest held out (MovieLens item ids as they are: 1,682 items).
 */
export function stratifiedSplit(data: MovieLens, seed: number): StratifiedSplit {
  const train = new Map<number, HeldOutEvent[]>();
  const test = new Map<number, HeldOutEvent[]>();
  for (const [user, ratings] of data.ratingsByUser) {
    const events = ratings.map((r) => ({ item: String(r.film), rating: r.rating, at: r.at.getTime() }));
    const trainN = Math.round(events.length * TRAIN_SHARE);
    const shuffled = new Rng(seed * 100_003 + user).sample(events, events.length);
    train.set(user, shuffled.slice(0, trainN));
    test.set(
      user,
      shuffled.slice(trainN).sort((a, b) => a.at - b.at || a.item.localeCompare(b.item)),
    );
  }
  return { train, test };
}
