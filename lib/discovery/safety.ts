import type { ScoredCandidate } from "./types";

export const HARASSMENT_THRESHOLD = 0.8;

/**
 * FR-09: removes users with a harassment score above 0.8 and anyone blocked either way (retrieval
 * excludes blocks too; this holds even for a pool built another way), and down-ranks reported
 * users by `reportPenalty` per distinct report, at most three times. Returns a re-sorted list.
 */
export function applySafety(
  candidates: ScoredCandidate[],
  options: { blocked: ReadonlySet<string>; reportPenalty: number },
): ScoredCandidate[] {
  return candidates
    .filter((c) => !(c.raw.harassmentScore !== null && c.raw.harassmentScore > HARASSMENT_THRESHOLD))
    .filter((c) => !options.blocked.has(c.raw.userId))
    .map((c) =>
      c.raw.reportCount > 0 ? { ...c, score: c.score * options.reportPenalty ** Math.min(3, c.raw.reportCount) } : c,
    )
    .sort((a, b) => b.score - a.score || a.raw.userId.localeCompare(b.raw.userId));
}
