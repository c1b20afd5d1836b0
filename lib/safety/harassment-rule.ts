import { HARASSMENT_THRESHOLD } from "../discovery/safety";

/**
 * The anti-brigading rule that turns reports and blocks into a harassment score (0..1; the safety
 * stage removes anyone above HARASSMENT_THRESHOLD and down-ranks the rest by their score):
 *
 * - reporters and blockers are counted as *independent* people: those connected to each other
 *   (a connection request or accept either way) form one cluster, and a cluster counts once. A
 *   group of friends reporting the same person is one voice;
 * - below the exclusion line every independent reporter adds PER_REPORTER and every independent
 *   blocker who did not also report adds PER_BLOCKER, capped at the threshold itself (which the
 *   safety stage does not exclude): a single report, or any number of blocks, only down-ranks;
 * - exclusion needs either a moderator's confirmation (a suspension: score 1) or at least
 *   INDEPENDENT_REPORTERS_TO_EXCLUDE independent reporters (score EXCLUDED_SCORE);
 * - dismissed reports count for nothing, and reports older than WINDOW_DAYS expire.
 */
export const HARASSMENT_RULE = {
  windowDays: 180,
  perReporter: 0.25,
  perBlocker: 0.1,
  independentReportersToExclude: 3,
  excludedScore: 0.9,
  suspendedScore: 1,
} as const;

export interface HarassmentSignals {
  /** Distinct people with a report (open or upheld) about the person inside the window. */
  reporters: readonly string[];
  /** Distinct people who blocked the person. */
  blockers: readonly string[];
  /** Connections between any two people (either direction). */
  links: readonly (readonly [string, string])[];
  suspended: boolean;
}

export interface HarassmentScore {
  score: number;
  independentReporters: number;
  independentBlockers: number;
}

/** How many clusters `people` fall into when linked people belong together (union-find). */
export function independentCount(people: readonly string[], links: readonly (readonly [string, string])[]): number {
  const parent = new Map(people.map((p) => [p, p]));
  const find = (p: string): string => {
    let root = p;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(p, root);
    return root;
  };
  let clusters = parent.size;
  for (const [a, b] of links) {
    if (!parent.has(a) || !parent.has(b)) continue;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) {
      parent.set(ra, rb);
      clusters--;
    }
  }
  return clusters;
}

export function harassmentScore(s: HarassmentSignals): HarassmentScore {
  const reporters = [...new Set(s.reporters)];
  const reported = new Set(reporters);
  const blockersOnly = [...new Set(s.blockers)].filter((b) => !reported.has(b));
  const independentReporters = independentCount(reporters, s.links);
  // A blocker linked to a reporter is part of the reporter's voice: cluster them together.
  const independentBlockers = independentCount([...reporters, ...blockersOnly], s.links) - independentReporters;
  const rule = HARASSMENT_RULE;
  let score: number;
  if (s.suspended) score = rule.suspendedScore;
  else if (independentReporters >= rule.independentReportersToExclude) score = rule.excludedScore;
  else {
    score = Math.min(
      HARASSMENT_THRESHOLD,
      rule.perReporter * independentReporters + rule.perBlocker * Math.max(0, independentBlockers),
    );
  }
  return { score: Math.round(score * 1000) / 1000, independentReporters, independentBlockers };
}
