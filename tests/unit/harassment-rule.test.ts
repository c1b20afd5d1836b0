import { describe, expect, it } from "vitest";
import { harassmentScore, independentCount } from "../../lib/safety/harassment-rule";

const none = { reporters: [], blockers: [], links: [], suspended: false };

describe("the anti-brigading rule", () => {
  it("counts a cluster of connected people once", () => {
    expect(
      independentCount(
        ["a", "b", "c", "d"],
        [
          ["a", "b"],
          ["c", "b"],
        ],
      ),
    ).toBe(2);
    expect(
      independentCount(
        ["a", "b"],
        [
          ["a", "x"],
          ["x", "b"],
        ],
      ),
    ).toBe(2); // only links among them count
  });

  it("a single report down-ranks; two independent ones more; neither excludes", () => {
    expect(harassmentScore({ ...none, reporters: ["a"] }).score).toBe(0.25);
    expect(harassmentScore({ ...none, reporters: ["a", "b"] }).score).toBe(0.5);
  });

  it("three independent reporters exclude; three friends do not", () => {
    expect(harassmentScore({ ...none, reporters: ["a", "b", "c"] }).score).toBeGreaterThan(0.8);
    const friends = harassmentScore({
      ...none,
      reporters: ["a", "b", "c"],
      links: [
        ["a", "b"],
        ["b", "c"],
      ],
    });
    expect(friends).toEqual({ score: 0.25, independentReporters: 1, independentBlockers: 0 });
  });

  it("blocks add a little and never exclude; a blocker who also reported counts once", () => {
    const many = Array.from({ length: 50 }, (_, i) => `b${i}`);
    expect(harassmentScore({ ...none, blockers: many }).score).toBe(0.8);
    expect(harassmentScore({ ...none, reporters: ["a"], blockers: ["a"] }).score).toBe(0.25);
    expect(harassmentScore({ ...none, reporters: ["a"], blockers: ["b"], links: [["a", "b"]] }).score).toBe(0.25);
  });

  it("a moderator's suspension is 1 whatever else", () => {
    expect(harassmentScore({ ...none, suspended: true }).score).toBe(1);
  });
});
