import { describe, expect, it } from "vitest";
import { swipeAction } from "../../app/components/CandidateCard";
import { collaborationFit, goalsCompatible } from "../../lib/discovery/goals";
import { ageBandOn } from "../../lib/profiles/age-band";
import { normalizePlace, roundToGrid } from "../../lib/profiles/gazetteer";

describe("profile rules", () => {
  it("age bands turn on the birthday itself, and under 18 has none", () => {
    const today = new Date(Date.UTC(2026, 10, 29));
    expect(ageBandOn(today, { year: 2008, month: 11, day: 29 })).toBe("18-24");
    expect(ageBandOn(today, { year: 2008, month: 11, day: 30 })).toBeNull();
    expect(ageBandOn(today, { year: 1992, month: 1, day: 1 })).toBe("25-34");
    expect(ageBandOn(today, { year: 1950, month: 6, day: 1 })).toBe("65+");
  });

  it("dates only with dates; no goal means friends and collaborators", () => {
    expect(goalsCompatible(["dates"], ["dates", "friends"])).toBe(true);
    expect(goalsCompatible(["dates"], [])).toBe(false);
    expect(goalsCompatible([], ["dates"])).toBe(false);
    expect(goalsCompatible([], ["collaborators"])).toBe(true);
    expect(goalsCompatible(["friends"], ["collaborators"])).toBe(false);
  });

  it("collaborators fit on a shared interest plus a skill the viewer lacks", () => {
    const me = { goals: ["collaborators"], hobbies: ["film"], communities: [] };
    expect(collaborationFit(me, { goals: ["collaborators"], hobbies: ["Film", "sound design"] })).toBe("sound design");
    expect(collaborationFit(me, { goals: ["collaborators"], hobbies: ["film"] })).toBeNull();
    expect(collaborationFit(me, { goals: ["collaborators"], hobbies: ["sound design"] })).toBeNull();
    expect(collaborationFit(me, { goals: ["friends"], hobbies: ["film", "sound design"] })).toBeNull();
  });

  it("places are matched without accents or punctuation, positions snap to a ~5 km grid", () => {
    expect(normalizePlace("  São-Paulo ")).toBe("sao paulo");
    expect(roundToGrid(40.41678)).toBeCloseTo(40.4, 9);
    expect(roundToGrid(-3.72621)).toBeCloseTo(-3.75, 9);
  });

  it("a drag's longer axis decides the swipe: sideways pass/connect, up/down more/less like this", () => {
    expect(swipeAction(-120, 10)).toBe("pass");
    expect(swipeAction(120, -30)).toBe("connect");
    expect(swipeAction(10, -120)).toBe("more_like_this");
    expect(swipeAction(-20, 130)).toBe("less_like_this");
    expect(swipeAction(40, -50)).toBeNull();
  });
});
