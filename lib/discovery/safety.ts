import type { ScoredCandidate } from "./types";

export const HARASSMENT_THRESHOLD = 0.8;

/** How far a harassment score at or below the threshold down-ranks: score x (1 - this x h). */
export const HARASSMENT_DOWNRANK = 0.5;

/**
 * FR-09: removes users with a harassment score above 0.8 and anyone blocked either way (retrieval
 * excludes blocks too; this holds even for a pool built another way), and down-ranks the rest:
 * by `reportPenalty` per distinct reporter whose report was not dismissed (at most three times:
 * a report counts from the moment it is filed) or by their harassment score (the nightly job's
 * reading of reports and blocks, lib/safety/harassment-rule.ts), whichever is stronger, never both.
 */
export function applySafety(
  candidates: ScoredCandidate[],
  options: { blocked: ReadonlySet<string>; reportPenalty: number },
): ScoredCandidate[] {
  return candidates
    .filter((c) => !(c.raw.harassmentScore !== null && c.raw.harassmentScore > HARASSMENT_THRESHOLD))
    .filter((c) => !options.blocked.has(c.raw.userId))
    .map((c) => {
      const byReports = options.reportPenalty ** Math.min(3, c.raw.reportCount);
      const byScore = 1 - HARASSMENT_DOWNRANK * (c.raw.harassmentScore ?? 0);
      const factor = Math.min(byReports, byScore);
      return factor < 1 ? { ...c, score: c.score * factor } : c;
    })
    .sort((a, b) => b.score - a.score || a.raw.userId.localeCompare(b.raw.userId));
}
