import type { Queryable } from "../db/types";
import { NEXT_TITLES, TITLES_SCENARIO } from "../taste/next-titles";
import type { ScoredCandidate } from "./types";
import { owedGroup, poolShares } from "./fairness";
import { fitsCommunityCap } from "./select";
import { chooseVoteSet, targetFromList } from "./vote-set";

/** What choosing a vote set needs from the database for one viewer and their pool. */
export interface VoteFacts {
  /** The viewer's next titles, best first. */
  target: string[];
  /** Titles the viewer has (any rating, any source): nobody's vote for them counts. */
  owned: Set<string>;
  /** Per candidate, the titles they love (favorites in use only). */
  loved: Map<string, string[]>;
  /** Fans per title (item_popularity, scenario 'titles'). */
  popularity: Map<string, number>;
}

/**
 * One statement: the viewer's next titles (only while their favorites are in use), their own
 * titles, and the pool's loved titles (user_loved_titles, as of the nightly batch; none for
 * anyone whose favorites are off) with each title's fans. Null when the viewer has no next
 * titles (no list yet, favorites or recommendations off): the slate then keeps the ranker's order.
 */
export async function loadVoteFacts(
  db: Queryable,
  viewerId: string,
  candidateIds: string[],
): Promise<VoteFacts | null> {
  if (candidateIds.length === 0) return null;
  const rows = await db.query<{ user_id: string | null; titles: string[]; fans: number[] }>(
    `WITH target AS MATERIALIZED (
       SELECT r.items FROM item_recommendations r
       WHERE r.user_id = $1 AND r.scenario = $3
         AND NOT EXISTS (SELECT 1 FROM privacy_settings s
                         WHERE s.user_id = $1 AND s.category = 'favorites' AND NOT s.enabled)
     )
     SELECT NULL AS user_id, t.items AS titles, '{}'::real[] AS fans FROM target t
     UNION ALL
     SELECT 'owned', coalesce(array_agg(DISTINCT f.media_id::text), '{}'), '{}'::real[]
     FROM favorite_items f WHERE f.user_id = $1 AND EXISTS (SELECT 1 FROM target)
     UNION ALL
     SELECT l.user_id::text, l.titles, l.fans FROM user_loved_titles l
     WHERE l.user_id = ANY($2::uuid[]) AND EXISTS (SELECT 1 FROM target)
       AND NOT EXISTS (SELECT 1 FROM privacy_settings s
                       WHERE s.user_id = l.user_id AND s.category = 'favorites' AND NOT s.enabled)`,
    [viewerId, candidateIds, TITLES_SCENARIO],
  );
  const target = rows.find((r) => r.user_id === null);
  if (!target || target.titles.length === 0) return null;
  const owned = new Set(rows.find((r) => r.user_id === "owned")?.titles ?? []);
  const loved = new Map<string, string[]>();
  const popularity = new Map<string, number>();
  for (const r of rows) {
    if (r.user_id === null || r.user_id === "owned") continue;
    loved.set(r.user_id, r.titles);
    r.titles.forEach((t, i) => popularity.set(t, Number(r.fans[i])));
  }
  return { target: target.titles, owned, loved, popularity };
}

/**
 * The pool reordered for the slate: the `pinned` first candidates (the first page, already
 * chosen) stay first, then the rest of the slate's `length` chosen as a vote set (the ranker's
 * score as the prior, the community cap and proportional exposure kept as it is built), then
 * everyone else in the pool's order.
 */
export function orderByVoteSet<T>(
  pool: readonly T[],
  facts: VoteFacts,
  options: {
    /** The candidate an item of the pool stands for. */
    of: (item: T) => ScoredCandidate;
    length: number;
    pinned: number;
    community: (c: T) => string | null;
    cap: number;
    window: number;
  },
): T[] {
  const community = pool.map(options.community);
  const group = pool.map((c) => options.of(c).raw.auditGroup);
  const shares = poolShares(group);
  const inPool = new Map<string, number>();
  for (const g of group) if (g !== null) inPool.set(g, (inPool.get(g) ?? 0) + 1);
  // What the next position allows depends on the chosen so far only: worked out once a position.
  let at = -1;
  let owed: string | null = null;
  let placed: (string | null)[] = [];
  const next = (chosen: readonly number[]) => {
    if (at === chosen.length) return;
    const counts = new Map<string, number>();
    for (const j of chosen) if (group[j] !== null) counts.set(group[j]!, (counts.get(group[j]!) ?? 0) + 1);
    const held = (g: string) => counts.get(g) ?? 0;
    owed = owedGroup(shares, chosen.length + 1, held, (g) => held(g) < (inPool.get(g) ?? 0));
    placed = chosen.map((j) => community[j]);
    at = chosen.length;
  };
  // The slate's community cap and fair exposure (select.ts, fairness.ts) hold inside the set as it
  // is built, so the steps after it need not trade its people away for them.
  const fits = (chosen: readonly number[], i: number) => {
    next(chosen);
    if (owed !== null && group[i] !== owed) return false;
    return fitsCommunityCap(placed, community[i], options.cap, options.window);
  };
  const pinned = [...pool.keys()].slice(0, Math.min(options.pinned, options.length));
  const chosen = chooseVoteSet(
    pool.map((item, i) => {
      const c = options.of(item);
      return { id: i, prior: c.score, titles: facts.loved.get(c.raw.userId) ?? [] };
    }),
    {
      target: targetFromList(facts.target, NEXT_TITLES),
      popularity: (t) => facts.popularity.get(t) ?? 0,
      owned: facts.owned,
      k: options.length,
      topN: NEXT_TITLES,
      fits,
      pinned,
    },
  );
  const inSet = new Set(chosen);
  return [...chosen, ...[...pool.keys()].filter((i) => !inSet.has(i))].map((i) => pool[i]);
}
