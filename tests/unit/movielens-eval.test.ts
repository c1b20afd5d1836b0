import { describe, expect, it } from "vitest";
import { recommendFromNeighbours, scoreLists, trainingView } from "../../eval/movielens/cf";
import { parseMovieLensTitle } from "../../eval/movielens/data";
import { dense } from "../../eval/movielens/models";
import { cosineMatrix, type RuleInput } from "../../eval/movielens/neighbour-rules";
import { pearsonNeighbours } from "../../eval/movielens/neighbours";
import { voteSetNeighbours } from "../../eval/movielens/vote-set";
import type { KeyedRating } from "../../eval/movielens/split";

describe("MovieLens titles", () => {
  it("reads the trailing article, the alternate title, the year and a video release", () => {
    expect(parseMovieLensTitle("Shawshank Redemption, The (1994)")).toEqual({
      title: "The Shawshank Redemption",
      alternateTitle: null,
      year: 1994,
    });
    expect(parseMovieLensTitle("City of Lost Children, The (Cité des enfants perdus, La) (1995)")).toEqual({
      title: "The City of Lost Children",
      alternateTitle: "La Cité des enfants perdus",
      year: 1995,
    });
    expect(parseMovieLensTitle("Land Before Time III: The Time of the Great Giving (1995) (V)")).toEqual({
      title: "Land Before Time III: The Time of the Great Giving",
      alternateTitle: null,
      year: 1995,
    });
    expect(parseMovieLensTitle("unknown")).toEqual({ title: "unknown", alternateTitle: null, year: null });
  });
});

const at = new Date(0);
const r = (film: string, rating: number): KeyedRating => ({ film, rating, at, item: 0 });

describe("user-based CF from neighbours", () => {
  const train = new Map<number, KeyedRating[]>([
    [1, [r("a", 5), r("b", 4)]],
    [2, [r("a", 5), r("c", 5), r("d", 2)]],
    [3, [r("b", 4), r("c", 4), r("e", 5)]],
    [4, [r("e", 4)]],
  ]);
  const view = trainingView(train);

  it("counts votes for liked films the person has not rated, ties broken by popularity", () => {
    // c: two votes; e: one vote (rated by 3 and 4, so more popular than d, which is not liked).
    expect(recommendFromNeighbours(view, 1, [2, 3])).toEqual(["c", "e"]);
    expect(recommendFromNeighbours(view, 1, [4])).toEqual(["e"]);
  });

  it("scores a hit at the top above the same hit lower down", () => {
    const relevant = new Map([[1, new Set(["c"])]]);
    const gender = new Map([
      [1, "F"],
      [2, "M"],
      [3, "F"],
      [4, "M"],
    ]);
    const top = scoreLists(view, [1], new Map([[1, ["c", "e"]]]), relevant, null, gender);
    const low = scoreLists(view, [1], new Map([[1, ["e", "c"]]]), relevant, null, gender);
    expect(top.ndcgAt10).toBe(1);
    expect(low.ndcgAt10).toBeLessThan(1);
    expect(top.precisionAt10).toBeCloseTo(0.1);
    // Only men as neighbours: women get no exposure at all.
    const skewed = scoreLists(view, [1], new Map([[1, ["c"]]]), relevant, new Map([[1, [2, 4]]]), gender);
    expect(skewed.genderDisparateImpact).toBe(0);
  });
});

describe("Pearson neighbours", () => {
  it("rank a neighbour who agrees over many films above one who agrees on two", () => {
    const films = Array.from({ length: 60 }, (_, i) => `f${i}`);
    const stars = (i: number) => 1 + (i % 5);
    const train = new Map<number, KeyedRating[]>([
      [1, films.map((f, i) => r(f, stars(i)))],
      // Agrees perfectly, but on two films only.
      [2, [r("f0", 1), r("f1", 2), r("x", 3)]],
      // Agrees on all 60 films, one star off on every tenth.
      [3, films.map((f, i) => r(f, i % 10 === 0 ? Math.min(5, stars(i) + 1) : stars(i)))],
    ]);
    expect(pearsonNeighbours(train, [1], 2).get(1)).toEqual([3, 2]);
  });
});

describe("vote-set neighbours", () => {
  it("takes the neighbour whose vote makes the predicted film the top pick over a closer one who votes for another", () => {
    const train = new Map<number, KeyedRating[]>([
      [1, [r("a", 5), r("b", 5)]],
      [2, [r("a", 5), r("b", 5), r("p", 5)]],
      [3, [r("a", 5), r("x", 5)]],
      [4, [r("q", 1)]],
    ]);
    const view = trainingView(train);
    const users = [...train.keys()];
    const column = new Map(view.films.map((f, j) => [f, j]));
    const stars = dense(users.length, view.films.length);
    users.forEach((u, i) => {
      for (const rating of train.get(u)!) stars.data[i * stars.cols + column.get(rating.film)!] = rating.rating;
    });
    const input: RuleInput = { users, people: [1], stars, view, column };
    const similarity = cosineMatrix(stars);
    // Person 2 is the nearer (they share both films) but would vote for p; the model predicts x.
    expect(similarity[0 * 4 + 1]).toBeGreaterThan(similarity[0 * 4 + 2]);
    const predicted = () => Float64Array.from(view.films, (f) => (f === "x" ? 1 : f === "p" ? 0.5 : 0));
    const one = voteSetNeighbours(input, { similarity, predicted, pool: 3, k: 1 });
    expect(one.get(1)).toEqual([3]);
    expect(recommendFromNeighbours(view, 1, one.get(1)!)).toEqual(["x"]);
    // Once nobody changes the top of the list, the rest come nearest first.
    expect(voteSetNeighbours(input, { similarity, predicted, pool: 3, k: 3 }).get(1)).toEqual([3, 2, 4]);
  });
});
