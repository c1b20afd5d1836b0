import { describe, expect, it } from "vitest";
import { chooseVoteSet, targetFromList } from "@/lib/discovery/vote-set";

const fans: Record<string, number> = { hit: 100, x: 5, y: 4, p: 50, mine: 80 };
const options = {
  target: targetFromList(["x", "y"], 10),
  popularity: (t: string) => fans[t] ?? 0,
  topN: 2,
};

describe("vote sets", () => {
  it("takes the people whose votes put the predicted titles on top over those with a higher prior", () => {
    const chosen = chooseVoteSet(
      [
        { id: "near", prior: 0.9, titles: ["hit", "p"] },
        { id: "x-fan", prior: 0.2, titles: ["x"] },
        { id: "y-fan", prior: 0.1, titles: ["y", "hit"] },
      ],
      { ...options, k: 2 },
    );
    expect(chosen).toEqual(["x-fan", "y-fan"]);
  });

  it("counts no vote for a title the viewer has, and falls back to the prior once nobody changes the list", () => {
    const chosen = chooseVoteSet(
      [
        { id: "a", prior: 0.3, titles: ["mine"] },
        { id: "b", prior: 0.8, titles: ["mine"] },
        { id: "c", prior: 0.5, titles: [] },
      ],
      { ...options, owned: new Set(["mine"]), k: 3 },
    );
    expect(chosen).toEqual(["b", "c", "a"]);
  });

  it("keeps to what fits (a community cap) while anyone fits, then takes the best of the rest", () => {
    const candidates = [
      { id: "x1", prior: 0.9, titles: ["x"] },
      { id: "x2", prior: 0.8, titles: ["x"] },
      { id: "other", prior: 0.1, titles: ["hit"] },
    ];
    // At most one of the x community (indexes 0 and 1) in the set.
    const fits = (chosen: readonly number[], i: number) => i === 2 || !chosen.some((j) => j !== 2);
    expect(chooseVoteSet(candidates, { ...options, k: 3, fits })).toEqual(["x1", "other", "x2"]);
    expect(chooseVoteSet(candidates, { ...options, k: 3 })[0]).toBe("x1");
  });
});
