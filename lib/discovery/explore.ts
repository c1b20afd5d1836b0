import type { Queryable } from "../db/types";
import { Rng } from "../random";
import type { ScoredCandidate } from "./types";

/** How many of the least-shown candidates an exploration slot picks from. */
const UNDER_EXPOSED_POOL = 5;
/** Exploration looks at this many of the best candidates beyond the slate. */
const EXPLORE_LOOKAHEAD = 300;

/** Impressions of each person (as the one shown) over the past 7 days; absent = never shown. */
export async function loadExposureCounts(db: Queryable, userIds: string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.query<{ target_id: string; n: number }>(
    `SELECT target_id, count(*)::int AS n FROM events
     WHERE kind = 'impression' AND target_id = ANY($1::text[]) AND created_at > now() - interval '7 days'
     GROUP BY target_id`,
    [userIds],
  );
  return new Map(rows.map((r) => [r.target_id, Number(r.n)]));
}

/**
 * Epsilon-greedy exploration over under-exposed people: every position but the first becomes an
 * exploration slot with probability `rate`, filled with one of the UNDER_EXPOSED_POOL least-shown
 * eligible candidates ranked below it (later in the slate, or beyond it; ties by rank), at random.
 * A candidate from beyond the slate pushes its last entry out. Returns the slate and the ids placed
 * by exploration (marked in the response). `slate` and `rest` are ordered best first.
 */
export function exploreSlate(
  slate: readonly ScoredCandidate[],
  rest: readonly ScoredCandidate[],
  exposures: ReadonlyMap<string, number>,
  rate: number,
  rng: Rng,
): { slate: ScoredCandidate[]; explored: Set<string> } {
  const out = [...slate];
  const beyond = rest.slice(0, EXPLORE_LOOKAHEAD);
  const explored = new Set<string>();
  const shown = (c: ScoredCandidate) => exposures.get(c.raw.userId) ?? 0;
  for (let i = 1; i < out.length; i++) {
    if (!rng.chance(rate)) continue;
    const below = [
      ...out.slice(i + 1).map((c, k) => ({ c, rank: i + 1 + k, inSlate: true })),
      ...beyond.map((c, k) => ({ c, rank: out.length + k, inSlate: false })),
    ].sort((a, b) => shown(a.c) - shown(b.c) || a.rank - b.rank);
    if (below.length === 0) break;
    const pick = below[Math.floor(rng.next() * Math.min(UNDER_EXPOSED_POOL, below.length))];
    if (pick.inSlate) out.splice(pick.rank, 1);
    else {
      beyond.splice(beyond.indexOf(pick.c), 1);
      out.pop();
    }
    out.splice(i, 0, pick.c);
    explored.add(pick.c.raw.userId);
  }
  return { slate: out, explored };
}

/** A seed for one slate's exploration: fixed when the settings give one (evaluation), else random. */
export function explorationRng(seed: number | null): Rng {
  return new Rng(seed ?? Math.floor(Math.random() * 2 ** 32));
}
