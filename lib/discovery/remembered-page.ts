import type { Queryable } from "../db/types";
import type { ImpressionContext, SlatePage } from "./slate-cache";
import type { Locale } from "./types";

/**
 * The cached path without reading the slate: a page this process served lately (served-pages.ts)
 * is served again from memory when the slate it was cut from is still the viewer's live one in
 * the database. One statement checks that (the slate's row by its key, comparing generated_at:
 * no transfer of the large payload), logs the page's impressions (with the features the ranker saw,
 * from the stored payload, and the request's id and experiment) and reads the viewer's language.
 *
 * This is how invalidation reaches every instance: feedback, blocks, privacy changes and new
 * taste vectors delete or replace the row (invalidateSlates, storeSlate), so another process's
 * remembered page fails the check and is read afresh; this process also forgets its own at once.
 * Returns null when the slate is gone, expired or replaced.
 */
export async function confirmRememberedPage(
  db: Queryable,
  viewerId: string,
  offset: number,
  page: SlatePage,
  logged: ImpressionContext = {},
): Promise<{ locale: Locale } | null> {
  const rows = await db.query<{ live: boolean; locale: string | null }>(
    `WITH s AS MATERIALIZED (
       SELECT payload -> 'features' AS features FROM slate_cache
       WHERE viewer_id = $1 AND expires_at > now() AND model_version = $3
         AND date_trunc('milliseconds', generated_at) = $2::timestamptz
     ), logged AS (
       INSERT INTO events (user_id, kind, target_id, value, payload)
       SELECT $1, 'impression', e.x ->> 'userId', $4::int + e.ord,
              jsonb_build_object('modelVersion', $3::text, 'score', e.x -> 'score', 'cached', true)
                || jsonb_strip_nulls(jsonb_build_object('features', s.features -> (e.x ->> 'userId'),
                                                        'explored', e.x -> 'explored'))
                || $6::text::jsonb
       FROM s, jsonb_array_elements($5::text::jsonb) WITH ORDINALITY AS e(x, ord)
       RETURNING 1
     )
     SELECT EXISTS (SELECT 1 FROM s) AS live, (SELECT locale FROM profiles WHERE user_id = $1) AS locale,
            (SELECT count(*) FROM logged) AS logged`,
    [viewerId, page.generatedAt, page.modelVersion, offset, JSON.stringify(page.items), JSON.stringify(logged)],
  );
  if (!rows[0]?.live) return null;
  return { locale: rows[0].locale === "es" ? "es" : "en" };
}
