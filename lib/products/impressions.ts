import type { Queryable } from "../db/types";
import type { RecommendationSource } from "./sources";

/** What a served list's impressions carry, so later clicks, carts and purchases can be credited. */
export interface ImpressionLog {
  requestId: string;
  /** product-page | homepage | cart | other (free-text contexts are not stored). */
  context: string;
}

/**
 * Logs a served list as product impressions (one statement): the viewer (person or visitor), each
 * product and its position, with the request id, model version, context and answering path. The
 * product-metrics job credits events to them; deletion removes them with the person's events.
 */
export async function logProductImpressions(
  db: Queryable,
  who: { userId: string | null; anonId: string | null },
  ids: readonly string[],
  log: ImpressionLog & { modelVersion: string | null; source: RecommendationSource; explored: string | null },
): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `INSERT INTO events (user_id, anon_id, kind, target_type, target_id, value, payload)
     SELECT $1, $2, 'impression', 'product', u.id, u.position,
            jsonb_build_object('requestId', $4::text, 'modelVersion', $5::text, 'context', $6::text, 'source', $7::text)
              || CASE WHEN u.id = $8 THEN '{"explored": true}'::jsonb ELSE '{}'::jsonb END
     FROM unnest($3::text[]) WITH ORDINALITY AS u(id, position)`,
    [
      who.userId,
      who.userId ? null : who.anonId,
      ids,
      log.requestId,
      log.modelVersion,
      log.context,
      log.source,
      log.explored,
    ],
  );
}
