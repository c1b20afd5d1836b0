import type { Db, Queryable } from "../../db/types";
import { HttpError } from "../../http/errors";
import { getStreamPreferences } from "../preferences";
import { cachedHomeFeed, rememberHomeFeed } from "./cache";
import { feedCandidates } from "./candidates";
import { FEED_FEATURES } from "./features";
import { DEFAULT_FEED_RANKER, rankCandidates, rankerFromRow, type FeedRanker } from "./ranker";
import { selectFeed, type FeedItem } from "./select";

export interface FeedRequest {
  user_id: string;
  /** Null for the home feed. */
  category_id: string | null;
  ctx_timestamp?: string;
  ctx_device?: string;
  ctx_locale?: string;
}

export interface FeedResponse {
  request_id: string;
  model_version: string;
  streams: {
    stream_id: string;
    creator_id: string;
    title: string;
    category: string;
    viewer_count: number;
    score: number;
    reason: string;
  }[];
}

/** The active trained ranker, else the default weights. */
export async function activeFeedRanker(db: Queryable): Promise<FeedRanker> {
  const [row] = await db.query<{ version: string; weights: unknown }>(
    "SELECT version, weights FROM stream_ranker_models WHERE active",
  );
  return row ? rankerFromRow(row.version, row.weights) : DEFAULT_FEED_RANKER;
}

/** A seed for the exploration draw from the request id (so a logged request can be replayed). */
const seedOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 8), 16);

/**
 * Logs one impression per served stream under the request id (position as value, the features
 * the ranker saw, the model version): a watch event sent back with context.requestId makes the
 * pair a training label (lib/streams/feed/training-data.ts).
 */
async function logImpressions(
  db: Queryable,
  viewerId: string,
  requestId: string,
  surface: string,
  version: string,
  items: readonly FeedItem[],
  context: Record<string, string>,
  cached: boolean,
): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `INSERT INTO events (user_id, kind, target_type, target_id, value, payload)
     SELECT $1, 'impression', 'stream', x.id, x.position, jsonb_build_object('requestId', $2::text, 'surface', $3::text,
            'modelVersion', $4::text, 'score', x.score, 'explored', x.explored, 'features', x.features, 'cached', $7::boolean)
            || $6::text::jsonb
     FROM jsonb_to_recordset($5::text::jsonb) AS x(id text, position int, score float8, explored boolean, features jsonb)`,
    [
      viewerId,
      requestId,
      surface,
      version,
      JSON.stringify(
        items.map((it, i) => ({
          id: it.candidate.id,
          position: i + 1,
          score: it.score,
          explored: it.explored,
          features: Object.fromEntries(FEED_FEATURES.map((f, k) => [f, it.features[k]])),
        })),
      ),
      JSON.stringify({ context }),
      cached,
    ],
  );
}

/**
 * POST /v1/scenarios/home_feed and category_feed: stage 1 (feedCandidates), stage 2 (the active
 * pairwise ranker, or the default weights: then every reason says so), the diversity caps
 * (per creator; per category on the home feed), one exploration slot, impressions logged. The home
 * feed is remembered for a minute (lib/streams/feed/cache.ts) and served again while the viewer's
 * follows, preferences, blocks and the ranker are unchanged and its streams still live; a served
 * copy gets a fresh request id and its impressions are logged again, marked cached.
 */
export async function streamFeed(db: Db, viewerId: string, req: FeedRequest): Promise<FeedResponse> {
  if (req.user_id !== viewerId) throw new HttpError(403, "forbidden", "user_id must be the token's subject");
  const category = req.category_id?.trim().toLowerCase() || null;
  const context = Object.fromEntries(
    Object.entries({ timestamp: req.ctx_timestamp, device: req.ctx_device, locale: req.ctx_locale }).filter(
      (e): e is [string, string] => typeof e[1] === "string",
    ),
  );
  const requestId = crypto.randomUUID();
  const cache = category === null ? await cachedHomeFeed(db, viewerId) : null;
  if (cache?.hit) {
    const { ranker, items } = cache.hit;
    await logImpressions(db, viewerId, requestId, "home_feed", ranker.version, items, context, true);
    return respond(requestId, ranker, items);
  }
  const [profile] = await db.query<{ locale: string }>("SELECT locale FROM profiles WHERE user_id = $1", [viewerId]);
  if (!profile) throw new HttpError(404, "not_found", "no profile for this account");
  const prefs = await getStreamPreferences(db, viewerId);
  const candidates = await feedCandidates(db, {
    viewerId,
    matureAllowed: prefs.matureAllowed,
    category,
    preferred: prefs.categories,
  });
  const ranker = await activeFeedRanker(db);
  const ranked = rankCandidates(ranker, candidates, {
    language: (profile.locale || req.ctx_locale || "").slice(0, 2).toLowerCase(),
    categories: prefs.categories,
  });
  const items = selectFeed(ranked, { categoryCap: category === null, seed: seedOf(requestId) });
  await logImpressions(
    db,
    viewerId,
    requestId,
    category ? "category_feed" : "home_feed",
    ranker.version,
    items,
    context,
    false,
  );
  if (cache) rememberHomeFeed(viewerId, { version: cache.version, ranker, items, at: Date.now() });
  return respond(requestId, ranker, items);
}

function respond(requestId: string, ranker: FeedRanker, items: readonly FeedItem[]): FeedResponse {
  const note = ranker.trained ? "" : " (default ranker: not trained yet)";
  return {
    request_id: requestId,
    model_version: ranker.version,
    streams: items.map((it) => ({
      stream_id: it.candidate.id,
      creator_id: it.candidate.creatorId,
      title: it.candidate.title,
      category: it.candidate.category,
      viewer_count: it.candidate.viewerCount,
      score: Math.round(it.score * 1e4) / 1e4,
      reason: it.reason + note,
    })),
  };
}
