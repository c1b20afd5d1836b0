import { describe, expect, it } from "vitest";
import type { TraitsTitle } from "@/lib/traits/provider";
import { RuleTraitsProvider } from "@/lib/traits/rules";

function title(name: string, genre: string, weight: number): TraitsTitle {
  return {
    title: name,
    mediaType: "film",
    year: 2000,
    genres: [genre],
    themes: [],
    mood: ["calm"],
    creators: [],
    weight,
  };
}

describe("rule traits", () => {
  it("gives the same traits whatever order the favorites arrive in", async () => {
    // Two genres with the same share whose sums differ in the last bit with the order
    // (0.1 + 0.2 + 0.3 !== 0.3 + 0.2 + 0.1): the stored traits must not flip between runs.
    const favorites = [
      title("z1", "zeta", 0.1),
      title("a1", "alpha", 0.3),
      title("z2", "zeta", 0.2),
      title("a2", "alpha", 0.2),
      title("z3", "zeta", 0.3),
      title("a3", "alpha", 0.1),
    ];
    const provider = new RuleTraitsProvider();
    const forward = await provider.traits(favorites);
    const backward = await provider.traits([...favorites].reverse());
    expect(forward).toEqual(backward);
    expect(forward.genres.map((g) => g.label)).toEqual(["alpha", "zeta"]);
    expect(forward.descriptors.map((d) => d.label)).toEqual(["calm alpha", "calm zeta"]);
  });
});
