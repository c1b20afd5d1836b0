import type { Queryable } from "../../db/types";
import type { PreferencePair } from "../../items/pairwise";
import { WATCH_DAYS } from "./candidates";
import { FEED_FEATURES } from "./features";

/** Less than this is a skip (0 s), not a watch. */
export const MIN_WATCH_MS = 30_000;
/** A longer watch is preferred only when at least this many times as long. */
const LONGER_RATIO = 1.5;
/** Skipped streams paired with each watched one, per request (the highest shown first). */
const SKIPS_PER_WATCH = 5;

export interface ServedImpression {
  requestId: string;
  streamId: string;
  position: number;
  features: number[];
  watchMs: number;
}

/** Features as logged, in FEED_FEATURES order; null when one is missing. */
function logged(value: unknown): number[] | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  return FEED_FEATURES.every((f) => typeof v[f] === "number") ? FEED_FEATURES.map((f) => v[f] as number) : null;
}

/**
 * Served feed impressions of the past WATCH_DAYS with the watch time each got through its request
 * id (watch events sent back with context.requestId), for requests where something was watched.
 * People with the `behaviour` switch off are never labels.
 */
export async function loadServedImpressions(db: Queryable, now: Date, limit = 50_000): Promise<ServedImpression[]> {
  const rows = await db.query<{
    request_id: string;
    stream_id: string;
    position: number;
    features: unknown;
    watch_ms: number;
  }>(
    `WITH watched AS (
       SELECT e.user_id, e.payload -> 'context' ->> 'requestId' AS request_id, e.target_id, sum(greatest(e.value, 0)) AS watch_ms
       FROM events e
       WHERE e.kind = 'watch' AND e.target_type = 'stream' AND e.user_id IS NOT NULL
         AND e.payload -> 'context' ? 'requestId'
         AND e.created_at > $1::timestamptz - make_interval(days => ${WATCH_DAYS})
       GROUP BY 1, 2, 3
     )
     SELECT i.payload ->> 'requestId' AS request_id, i.target_id AS stream_id, i.value AS position,
            i.payload -> 'features' AS features, coalesce(w.watch_ms, 0)::float8 AS watch_ms
     FROM events i
     LEFT JOIN watched w ON w.user_id = i.user_id AND w.request_id = i.payload ->> 'requestId' AND w.target_id = i.target_id
     WHERE i.kind = 'impression' AND i.target_type = 'stream' AND i.payload ? 'features'
       AND i.created_at > $1::timestamptz - make_interval(days => ${WATCH_DAYS})
       AND EXISTS (SELECT 1 FROM watched x WHERE x.user_id = i.user_id AND x.request_id = i.payload ->> 'requestId')
       AND NOT behaviour_off(i.user_id)
     ORDER BY i.created_at DESC, i.id DESC LIMIT $2`,
    [now, limit],
  );
  const out: ServedImpression[] = [];
  for (const r of rows) {
    const features = logged(r.features);
    if (features)
      out.push({
        requestId: r.request_id,
        streamId: r.stream_id,
        position: Number(r.position),
        features,
        watchMs: Number(r.watch_ms),
      });
  }
  return out;
}

/**
 * Preference pairs within each request: a watched stream (≥ MIN_WATCH_MS) over every stream shown
 * with it that was skipped (up to SKIPS_PER_WATCH, highest shown first: those the viewer surely
 * saw), and a longer watch over a shorter one (≥ LONGER_RATIO times as long).
 */
export function watchTimePairs(impressions: readonly ServedImpression[]): Map<string, PreferencePair[]> {
  const byRequest = new Map<string, ServedImpression[]>();
  for (const i of impressions) byRequest.set(i.requestId, [...(byRequest.get(i.requestId) ?? []), i]);
  const out = new Map<string, PreferencePair[]>();
  for (const [requestId, shown] of byRequest) {
    const watched = shown.filter((i) => i.watchMs >= MIN_WATCH_MS).sort((a, b) => b.watchMs - a.watchMs);
    const skipped = shown.filter((i) => i.watchMs < MIN_WATCH_MS).sort((a, b) => a.position - b.position);
    const pairs: PreferencePair[] = [];
    for (const w of watched) {
      for (const s of skipped.slice(0, SKIPS_PER_WATCH)) pairs.push({ better: w.features, worse: s.features });
      for (const o of watched)
        if (w.watchMs >= LONGER_RATIO * o.watchMs) pairs.push({ better: w.features, worse: o.features });
    }
    if (pairs.length > 0) out.set(requestId, pairs);
  }
  return out;
}
