import type { Queryable } from "../../db/types";
import type { FeedRanker } from "./ranker";
import type { FeedItem } from "./select";

/** How long a home feed is served again from this process's memory. */
export const FEED_CACHE_MS = 60_000;
/** At most this many viewers' feeds are remembered (the oldest are dropped first). */
const MAX_ENTRIES = 20_000;

export interface CachedFeed {
  /** What the feed was built from (see feedVersion); a different version means it is stale. */
  version: string;
  ranker: FeedRanker;
  items: FeedItem[];
  at: number;
}

const remembered = new Map<string, CachedFeed>();

/**
 * In one statement: the viewer's feed version (their follows, stream preferences and blocks, and
 * the active ranker) and whether every stream of `streamIds` is still live. A follow or unfollow,
 * a preference change, a block or a new ranker changes the version; a stream's end fails the
 * liveness check. Both are read from the database, so another instance's change reaches this one.
 */
export async function feedVersion(
  db: Queryable,
  viewerId: string,
  streamIds: readonly string[],
): Promise<{ version: string; allLive: boolean }> {
  const [row] = await db.query<{ version: string; all_live: boolean }>(
    `SELECT concat_ws('|',
              (SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM follows WHERE user_id = $1),
              (SELECT updated_at::text FROM stream_preferences WHERE user_id = $1),
              (SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM blocks
               WHERE blocker_id = $1 OR blocked_id = $1),
              (SELECT version FROM stream_ranker_models WHERE active)) AS version,
            (SELECT count(*) FROM streams WHERE id = ANY ($2::uuid[]) AND ended_at IS NULL) = cardinality($2::uuid[]) AS all_live`,
    [viewerId, streamIds],
  );
  return { version: row.version, allLive: row.all_live };
}

/**
 * The viewer's remembered home feed when it is younger than FEED_CACHE_MS, built from the
 * version the database holds now and shows only streams still live; else null (and the entry is
 * dropped). `version` is returned either way, for remembering the feed built next.
 */
export async function cachedHomeFeed(
  db: Queryable,
  viewerId: string,
  now = Date.now(),
): Promise<{ hit: CachedFeed | null; version: string }> {
  const entry = remembered.get(viewerId);
  const fresh = entry && now - entry.at < FEED_CACHE_MS ? entry : null;
  const { version, allLive } = await feedVersion(db, viewerId, fresh ? fresh.items.map((it) => it.candidate.id) : []);
  if (fresh && fresh.version === version && allLive) return { hit: fresh, version };
  if (entry) remembered.delete(viewerId);
  return { hit: null, version };
}

export function rememberHomeFeed(viewerId: string, feed: CachedFeed): void {
  remembered.delete(viewerId);
  remembered.set(viewerId, feed);
  if (remembered.size > MAX_ENTRIES) remembered.delete(remembered.keys().next().value!);
}

/** Forgets every remembered feed (tests and benches measuring the uncached path). */
export function forgetHomeFeeds(): void {
  remembered.clear();
}
