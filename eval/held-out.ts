import type { Queryable } from "../lib/db/types";
import type { EvalDataset } from "./dataset";

/** Two users count as a held-out connection when they share at least this many favorites. */
export const MIN_SHARED_FAVORITES = 2;

/**
 * The held-out connections of each viewer: the other users of the viewer's planted community
 * (auth.users.raw_user_meta_data.demo_community, which no stage of the pipeline reads) with whom
 * the viewer shares at least MIN_SHARED_FAVORITES favorites: the people the demo world says
 * they would connect with. They are never written to `feedback`, so retrieval does not exclude
 * them and the mutual-connections feature does not see them.
 *
 * Honest caveat: the shared-favorites half of the definition is also a ranker feature (the
 * pipeline may count shared titles), so the pipeline is partly rewarded for a signal the label
 * was built from. The community half is hidden from every system.
 */
export async function heldOutConnections(
  db: Queryable,
  data: EvalDataset,
  viewers: string[],
): Promise<Map<string, Set<string>>> {
  const rows = await db.query<{ viewer: string; other: string }>(
    `WITH v AS (SELECT DISTINCT user_id, media_id FROM favorite_items WHERE user_id = ANY($1::uuid[])),
     o AS (SELECT DISTINCT user_id, media_id FROM favorite_items)
     SELECT v.user_id::text AS viewer, o.user_id::text AS other
     FROM v JOIN o ON o.media_id = v.media_id AND o.user_id <> v.user_id
     GROUP BY v.user_id, o.user_id HAVING count(*) >= $2`,
    [viewers, MIN_SHARED_FAVORITES],
  );
  const out = new Map<string, Set<string>>(viewers.map((v) => [v, new Set<string>()]));
  for (const r of rows) {
    const c = data.community.get(r.viewer);
    if (c !== undefined && data.community.get(r.other) === c) out.get(r.viewer)!.add(r.other);
  }
  return out;
}
