import type { Queryable } from "../../db/types";
import type { BatchPhase } from "../../jobs/batch";
import { fitItemModel } from "../../items/model";
import type { Interaction } from "../../items/interactions";
import { storeItemModel } from "../../items/store";
import { STREAMS_SCENARIO, WATCH_DAYS, WATCH_WEIGHT_SQL, WATCHED_STREAM_JOIN } from "./candidates";
import { trainFeedRanker } from "./training";

/**
 * Training interactions of the 'streams' item model: per signed-in person and creator, log(1 +
 * minutes) of each watch of the creator's streams in the past WATCH_DAYS, leaving out everyone with
 * `recommendations` off.
 */
async function watchInteractions(db: Queryable, now: Date): Promise<Interaction[]> {
  const rows = await db.query<{ person: string; item: string; weight: number }>(
    `SELECT e.user_id::text AS person, s.creator_id::text AS item, sum(${WATCH_WEIGHT_SQL})::float8 AS weight
     FROM events e ${WATCHED_STREAM_JOIN}
     WHERE e.kind = 'watch' AND e.target_type = 'stream' AND e.user_id IS NOT NULL AND e.value > 0
       AND e.created_at > $1::timestamptz - make_interval(days => ${WATCH_DAYS})
       AND NOT EXISTS (SELECT 1 FROM privacy_settings p
                       WHERE p.user_id = e.user_id AND p.category = 'recommendations' AND NOT p.enabled)
     GROUP BY 1, 2`,
    [now],
  );
  return rows.map((r) => ({ person: r.person, item: r.item, weight: Number(r.weight) }));
}

/** Phase 1: the item engine over watch events (items are creators), stored under scenario 'streams'. */
export function streamModelPhase(now: () => Date): BatchPhase {
  return {
    name: "stream model",
    total: async () => 1,
    async step(tx) {
      const at = now();
      const model = fitItemModel(await watchInteractions(tx, at));
      await storeItemModel(tx, STREAMS_SCENARIO, model.algorithm, model.neighbours, model.matrix.people.length, at);
      return { processed: 1, cursor: null, done: true };
    },
  };
}

/** Phase 2: the feed's pairwise ranker from watch time on logged impressions (logged, no personal data). */
export function feedRankerPhase(now: () => Date): BatchPhase {
  return {
    name: "feed ranker",
    total: async () => 1,
    async step(tx) {
      console.log(`[mesh] stream-feeds: ${JSON.stringify(await trainFeedRanker(tx, now()))}`);
      return { processed: 1, cursor: null, done: true };
    },
  };
}
