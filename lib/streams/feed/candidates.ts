import type { Queryable } from "../../db/types";
import { scoreHistory } from "../../items/neighbours";
import { activeItemModel, loadNeighbours } from "../../items/store";
import { NO_BLOCK, type StreamRow } from "../hometown";
import type { CandidateSource, FeedCandidate } from "./features";

/** The 'streams' scenario of the item engine: items are creators (a stream's id is new every broadcast). */
export const STREAMS_SCENARIO = "streams";
/** Stage 1's size, and what each source may add. */
export const CANDIDATES = 200;
export const SIMILAR_CREATORS = 100;
export const TRENDING_PER_CATEGORY = 60;
export const TRENDING_OVERALL = 40;
/** Watch events older than this are neither history nor training. */
export const WATCH_DAYS = 30;
/** Creators of the viewer's history that seed the similarity source. */
const HISTORY_CREATORS = 50;

/** A watch event's weight for the item engine: log(1 + minutes watched). */
export const WATCH_WEIGHT_SQL = "ln(1 + greatest(e.value, 0) / 60000.0)";
/** Watch events joined to their stream (target ids that are not uuids are skipped, never cast). */
export const WATCHED_STREAM_JOIN = `JOIN streams s ON s.id = CASE WHEN e.target_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                                 THEN e.target_id::uuid END`;

export interface WatchedCreator {
  creatorId: string;
  minutes: number;
}

/** The creators the viewer watched in the past WATCH_DAYS, most watched first. */
export async function watchedCreators(db: Queryable, viewerId: string): Promise<WatchedCreator[]> {
  const rows = await db.query<{ creator_id: string; minutes: number }>(
    `SELECT s.creator_id::text AS creator_id, sum(greatest(e.value, 0))::float8 / 60000 AS minutes
     FROM events e ${WATCHED_STREAM_JOIN}
     WHERE e.user_id = $1 AND e.kind = 'watch' AND e.target_type = 'stream'
       AND e.created_at > now() - make_interval(days => ${WATCH_DAYS})
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${HISTORY_CREATORS}`,
    [viewerId],
  );
  return rows.map((r) => ({ creatorId: r.creator_id, minutes: Number(r.minutes) }));
}

/** Creators like those watched, through the active 'streams' item model (none before its first run). */
export async function similarCreators(
  db: Queryable,
  watched: readonly WatchedCreator[],
): Promise<{ id: string; score: number }[]> {
  if (watched.length === 0) return [];
  const model = await activeItemModel(db, STREAMS_SCENARIO);
  if (!model) return [];
  const neighbours = await loadNeighbours(
    db,
    model.version,
    watched.map((w) => w.creatorId),
  );
  return scoreHistory(
    neighbours,
    watched.map((w) => ({ item: w.creatorId, weight: Math.log1p(w.minutes) })),
    SIMILAR_CREATORS,
  );
}

const LIVE = "s.ended_at IS NULL AND ($2::boolean OR NOT s.mature)";

/**
 * Stage 1's union, live streams only ($1 viewer, $2 mature allowed, $3 similar creators, $4
 * watched creators, $5 trending categories, $6 per category, $7 overall, $8 category or null):
 * streams of creators like those watched, of followed and of watched creators, and the most
 * watched in each trending category and overall; neither side blocked. Exported for tests.
 */
export const CANDIDATES_SQL = `WITH src AS (
    SELECT s.id, 'similar' AS source FROM streams s WHERE ${LIVE} AND s.creator_id = ANY($3::uuid[])
    UNION ALL
    SELECT s.id, 'followed' FROM follows f JOIN streams s ON s.creator_id = f.creator_id
    WHERE f.user_id = $1 AND ${LIVE}
    UNION ALL
    SELECT s.id, 'watched' FROM streams s WHERE ${LIVE} AND s.creator_id = ANY($4::uuid[])
    UNION ALL
    SELECT c.id, 'trending' FROM unnest($5::text[]) AS wanted(category), LATERAL (
      SELECT s.id FROM streams s WHERE ${LIVE} AND s.category = wanted.category
      ORDER BY s.viewer_count DESC LIMIT $6) c
    UNION ALL
    (SELECT s.id, 'trending' FROM streams s WHERE ${LIVE} ORDER BY s.viewer_count DESC LIMIT $7)
  )
  SELECT s.id::text AS id, s.creator_id::text AS creator_id, s.title, s.category, s.language, s.city,
         s.viewer_count, s.quality_score, extract(epoch FROM now() - s.live_since)::float8 / 60 AS live_minutes,
         array_agg(DISTINCT src.source) AS sources
  FROM src JOIN streams s ON s.id = src.id
  WHERE s.creator_id <> $1 AND ($8::text IS NULL OR s.category = $8)
    AND ${NO_BLOCK}
  GROUP BY s.id`;

export interface CandidateRequest {
  viewerId: string;
  matureAllowed: boolean;
  /** The category feed's category; null for the home feed. */
  category: string | null;
  /** The viewer's preferred categories (the home feed's trending categories). */
  preferred: string[];
}

/** Source priority when the union is over CANDIDATES: followed, watched, similar, then trending. */
const PRIORITY: CandidateSource[] = ["followed", "watched", "similar", "trending"];
const rank = (c: FeedCandidate) => Math.min(...c.sources.map((s) => PRIORITY.indexOf(s)));

/**
 * Stage 1's own order, and its cut to CANDIDATES: followed, watched, similar (by the item engine's
 * score), then trending (by viewers). This is the "candidates only" list the eval compares.
 */
export function orderCandidates(candidates: FeedCandidate[]): FeedCandidate[] {
  return candidates
    .sort(
      (a, b) => rank(a) - rank(b) || b.similar - a.similar || b.viewerCount - a.viewerCount || (a.id < b.id ? -1 : 1),
    )
    .slice(0, CANDIDATES);
}

/** Stage 1: about CANDIDATES live streams for the viewer, each with its sources and affinities. */
export async function feedCandidates(db: Queryable, req: CandidateRequest): Promise<FeedCandidate[]> {
  const watched = await watchedCreators(db, req.viewerId);
  const similar = await similarCreators(db, watched);
  const trending = req.category ? [req.category] : req.preferred;
  const rows = await db.query<StreamRow & { live_minutes: number; sources: string[] }>(CANDIDATES_SQL, [
    req.viewerId,
    req.matureAllowed,
    similar.map((s) => s.id),
    watched.map((w) => w.creatorId),
    trending,
    req.category ? CANDIDATES : TRENDING_PER_CATEGORY,
    req.category ? 0 : TRENDING_OVERALL,
    req.category,
  ]);
  const follows = new Set(
    (
      await db.query<{ creator_id: string }>("SELECT creator_id::text AS creator_id FROM follows WHERE user_id = $1", [
        req.viewerId,
      ])
    ).map((r) => r.creator_id),
  );
  const similarity = new Map(similar.map((s) => [s.id, s.score]));
  const minutes = new Map(watched.map((w) => [w.creatorId, w.minutes]));
  const candidates: FeedCandidate[] = rows.map((r) => ({
    id: r.id,
    creatorId: r.creator_id,
    title: r.title,
    category: r.category,
    language: r.language,
    city: r.city,
    viewerCount: Number(r.viewer_count),
    qualityScore: Number(r.quality_score),
    liveMinutes: Number(r.live_minutes),
    similar: similarity.get(r.creator_id) ?? 0,
    followed: follows.has(r.creator_id),
    watchedMinutes: minutes.get(r.creator_id) ?? 0,
    sources: r.sources as CandidateSource[],
  }));
  return orderCandidates(candidates);
}
