import type { Reason, ScoredCandidate, ViewerContext } from "./types";

/**
 * What people are looking for, and how it changes matching (seed 002 §2.3). Imports types only, so
 * the HTTP contract and the pages can use the list.
 *
 * - dates: only ever with someone who chose dates too, both ways;
 * - collaborators: matched on complementary skills and shared interests (collaborationFit);
 * - friends: no constraint beyond a shared goal.
 *
 * Two people may be suggested to each other when their goals share one. Someone who chose no goal
 * (or keeps `interests` off, which holds their goals) counts as open to friends and collaborators
 * and never to dates: nobody is put in front of a dater without having opted in.
 */
export const goals = ["collaborators", "friends", "dates"] as const;
export type Goal = (typeof goals)[number];

const OPEN: readonly Goal[] = ["friends", "collaborators"];

export function effectiveGoals(chosen: readonly string[] | null | undefined): readonly string[] {
  return chosen && chosen.length > 0 ? chosen : OPEN;
}

/** True when the two may be matched: a goal in common (so dates only with dates). */
export function goalsCompatible(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const mine = effectiveGoals(a);
  return effectiveGoals(b).some((g) => mine.includes(g));
}

/** Score points a collaboration fit adds (the prior ranker's scores are in [0, 1]). */
export const COLLABORATION_WEIGHT = 0.08;

interface GoalSide {
  goals?: readonly string[];
  hobbies: readonly string[];
  communities?: readonly string[];
}

/**
 * For two people who both look for collaborators: a skill the other brings that the viewer lacks
 * (a hobby or community only they list), provided they also share an interest (a hobby or a
 * community); else null. Skills are what people list as hobbies and communities: there is no
 * separate field.
 */
export function collaborationFit(viewer: GoalSide, other: GoalSide): string | null {
  if (!viewer.goals?.includes("collaborators") || !other.goals?.includes("collaborators")) return null;
  const mine = new Set([...viewer.hobbies, ...(viewer.communities ?? [])].map((x) => x.trim().toLowerCase()));
  const theirs = [...other.hobbies, ...(other.communities ?? [])];
  const shared = theirs.some((x) => mine.has(x.trim().toLowerCase()));
  const skill = theirs.find((x) => !mine.has(x.trim().toLowerCase())) ?? null;
  return shared ? skill : null;
}

/**
 * The goals stage: drops candidates whose goals share none with the viewer's (so dates only with
 * dates), and lifts collaborators who fit (shared interest, complementary skill). Re-sorted.
 */
export function applyGoals(candidates: ScoredCandidate[], viewer: ViewerContext): ScoredCandidate[] {
  return candidates
    .filter((c) => goalsCompatible(viewer.goals, c.raw.goals))
    .map((c) => {
      const skill = collaborationFit(viewer, c.raw);
      return skill ? { ...c, score: c.score + COLLABORATION_WEIGHT, collaboration: { skill } } : c;
    })
    .sort((a, b) => b.score - a.score || a.raw.userId.localeCompare(b.raw.userId));
}

/** A collaborator who fits says what they bring, ahead of the ranker's reasons. */
export function withGoalReason(c: ScoredCandidate, reasons: Reason[], max = 2): Reason[] {
  if (!c.collaboration) return reasons;
  return [{ kind: "collaborator" as const, skill: c.collaboration.skill }, ...reasons].slice(0, max);
}
