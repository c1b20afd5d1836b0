import type { Queryable } from "../db/types";
import { forgetAllServedPages, forgetServedPagesOf, forgetServedPagesShowing } from "./served-pages";
import { invalidationPayload, SLATES_CHANNEL } from "./slate-invalidation";
import type { FeatureVector, SlateEntry } from "./types";

/** A cached slate: entries in order; `complete` when the pool had no more candidates. */
export interface SlatePayload {
  items: SlateEntry[];
  /** The ids in the slate, so a candidate's opt-out can find the slates that show them. */
  ids: string[];
  complete: boolean;
  /**
   * The features the ranker saw per shown person (by user id), logged with each impression so
   * training reads them as they were (never served: pages read `items` only).
   */
  features?: Record<string, FeatureVector>;
}

/**
 * What each impression of a page is logged with besides the model version, score and features:
 * the request's id (clients send it back as events' context.requestId) and, when the viewer is in
 * a running experiment, its id and their variant (an exposure).
 */
export interface ImpressionContext {
  requestId?: string;
  experiment?: { id: string; variant: string };
}

export interface SlatePage {
  items: SlateEntry[];
  total: number;
  complete: boolean;
  modelVersion: string;
  generatedAt: string;
}

/** A page with the features the ranker saw for its people (logged again when it is served from memory). */
export interface FeaturedPage extends SlatePage {
  features: Record<string, FeatureVector>;
}

interface PageRow {
  items: SlateEntry[];
  features: Record<string, FeatureVector> | null;
  total: number;
  complete: boolean;
  model_version: string;
  generated_at: Date | string;
}

const toIso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * The cached path in one statement: reads the viewer's live slate, cuts the page and logs its
 * impressions. Nothing is logged (and null returned) when there is no live slate or it is too
 * short for the page while the pool had more.
 */
export async function readCachedPage(
  db: Queryable,
  viewerId: string,
  offset: number,
  limit: number,
  logged: ImpressionContext = {},
): Promise<FeaturedPage | null> {
  const rows = await db.query<PageRow>(
    `WITH s AS (
       SELECT payload, model_version, generated_at, jsonb_array_length(payload -> 'items') AS total,
              coalesce((payload ->> 'complete')::boolean, false) AS complete
       FROM slate_cache WHERE viewer_id = $1 AND expires_at > now()
     ), ok AS (SELECT * FROM s WHERE complete OR total >= $2::int + $3::int),
     page AS (
       SELECT e.x, e.ord FROM ok, jsonb_array_elements(ok.payload -> 'items') WITH ORDINALITY AS e(x, ord)
       WHERE e.ord > $2::int AND e.ord <= $2::int + $3::int
     ), logged AS (
       INSERT INTO events (user_id, kind, target_id, value, payload)
       SELECT $1, 'impression', page.x ->> 'userId', page.ord,
              jsonb_build_object('modelVersion', ok.model_version, 'score', page.x -> 'score', 'cached', true)
                || jsonb_strip_nulls(jsonb_build_object('features', ok.payload -> 'features' -> (page.x ->> 'userId'),
                                                        'explored', page.x -> 'explored'))
                || $4::text::jsonb
       FROM page, ok
       RETURNING 1
     )
     SELECT (SELECT coalesce(jsonb_agg(x ORDER BY ord), '[]'::jsonb) FROM page) AS items,
            (SELECT jsonb_object_agg(page.x ->> 'userId', ok.payload -> 'features' -> (page.x ->> 'userId'))
             FROM page WHERE ok.payload -> 'features' ? (page.x ->> 'userId')) AS features,
            ok.total, ok.complete, ok.model_version, ok.generated_at,
            (SELECT count(*) FROM logged) AS logged
     FROM ok`,
    [viewerId, offset, limit, JSON.stringify(logged)],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  return {
    items: r.items,
    features: r.features ?? {},
    total: Number(r.total),
    complete: r.complete,
    modelVersion: r.model_version,
    generatedAt: toIso(r.generated_at),
  };
}

/**
 * Stores a freshly built slate (and one why_cache entry per candidate) and logs the served page's
 * impressions (each with the features the ranker saw and `logged`), in one statement.
 *
 * The statement commits without waiting for its WAL flush (synchronous_commit off for this
 * transaction only, through set_config's is_local): what it writes is a cache and an impression
 * log, so a server crash in the next few hundred milliseconds may lose it and nothing else; the
 * flush measured 1-6 ms of a request at 1M users. set_config inside the statement keeps it one
 * round trip, and the setting ends with the statement's own transaction (a test checks that it
 * does not stay on a pooled connection).
 */
export async function storeSlate(
  db: Queryable,
  viewerId: string,
  payload: SlatePayload,
  modelVersion: string,
  ttlSeconds: number,
  page: { offset: number; limit: number },
  logged: ImpressionContext = {},
): Promise<string> {
  const rows = await db.query<{ generated_at: Date | string }>(
    `WITH s AS (
       INSERT INTO slate_cache (viewer_id, payload, model_version, generated_at, expires_at)
       VALUES ($1, $2::text::jsonb, $3, now(), now() + make_interval(secs => $4::int))
       ON CONFLICT (viewer_id) DO UPDATE SET payload = EXCLUDED.payload, model_version = EXCLUDED.model_version,
         generated_at = EXCLUDED.generated_at, expires_at = EXCLUDED.expires_at
       RETURNING generated_at
     ), w AS (
       INSERT INTO why_cache (viewer_id, target_id, payload, model_version, expires_at)
       SELECT $1, (x ->> 'userId')::uuid, x, $3, now() + make_interval(secs => $4::int)
       FROM jsonb_array_elements($2::text::jsonb -> 'items') AS x
       ON CONFLICT (viewer_id, target_id) DO UPDATE SET payload = EXCLUDED.payload,
         model_version = EXCLUDED.model_version, expires_at = EXCLUDED.expires_at
       RETURNING 1
     ), logged AS (
       INSERT INTO events (user_id, kind, target_id, value, payload)
       SELECT $1, 'impression', e.x ->> 'userId', e.ord,
              jsonb_build_object('modelVersion', $3::text, 'score', e.x -> 'score', 'cached', false)
                || jsonb_strip_nulls(jsonb_build_object('features', $2::text::jsonb -> 'features' -> (e.x ->> 'userId'),
                                                        'explored', e.x -> 'explored'))
                || $7::text::jsonb
       FROM jsonb_array_elements($2::text::jsonb -> 'items') WITH ORDINALITY AS e(x, ord)
       WHERE e.ord > $5::int AND e.ord <= $5::int + $6::int
       RETURNING 1
     ), lazy_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS v)
     SELECT generated_at, (SELECT count(*) FROM w) AS why, (SELECT count(*) FROM logged) AS logged
     FROM s, lazy_commit`,
    [viewerId, JSON.stringify(payload), modelVersion, ttlSeconds, page.offset, page.limit, JSON.stringify(logged)],
  );
  return toIso(rows[0].generated_at);
}

/**
 * Drops the cached slates and explanations of these viewers, so their next request is computed
 * afresh. Call after a viewer's feedback, block or unblock, privacy change or new taste vector.
 */
export async function invalidateSlates(db: Queryable, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  forgetServedPagesOf(userIds);
  await db.query(
    `WITH a AS (DELETE FROM slate_cache WHERE viewer_id = ANY($1::uuid[]) RETURNING 1),
          b AS (DELETE FROM why_cache WHERE viewer_id = ANY($1::uuid[]) RETURNING 1)
     SELECT pg_notify('${SLATES_CHANNEL}', $2)`,
    [userIds, invalidationPayload({ viewers: userIds })],
  );
}

/**
 * Drops every cached slate and explanation that shows this user (call when they stop being
 * discoverable or switch a signal off, so nobody keeps seeing them until the TTL).
 */
export async function invalidateSlatesShowing(db: Queryable, userId: string): Promise<void> {
  forgetServedPagesShowing(userId);
  await db.query(
    `WITH a AS (DELETE FROM slate_cache WHERE payload -> 'ids' ? $1::text RETURNING 1),
          b AS (DELETE FROM why_cache WHERE target_id = $1::uuid RETURNING 1)
     SELECT pg_notify('${SLATES_CHANNEL}', $2)`,
    [userId, invalidationPayload({ showing: userId })],
  );
}

/**
 * Drops every cached slate and explanation (a ranker version or an experiment starts or stops:
 * everyone's next page is built afresh), and every process's remembered pages.
 */
export async function invalidateAllSlates(db: Queryable): Promise<void> {
  forgetAllServedPages();
  await db.query(
    `WITH a AS (DELETE FROM slate_cache RETURNING 1), b AS (DELETE FROM why_cache RETURNING 1)
     SELECT pg_notify('${SLATES_CHANNEL}', $1)`,
    [invalidationPayload({ all: true })],
  );
}
