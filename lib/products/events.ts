import type { Queryable } from "../db/types";

/** Seed 000's event weights for the shop: what each kind of event says about interest in a product. */
export const PRODUCT_EVENT_WEIGHTS = {
  purchase: 5,
  add_to_cart: 3,
  click: 2,
  search_result_click: 2,
  view: 1,
} as const;

/** The weights as a SQL expression over events.kind (constants only: safe to inline). */
export const WEIGHT_SQL = `CASE kind ${Object.entries(PRODUCT_EVENT_WEIGHTS)
  .map(([k, w]) => `WHEN '${k}' THEN ${w}`)
  .join(" ")} ELSE 0 END`;
export const WEIGHTED_KINDS_SQL = `(${Object.keys(PRODUCT_EVENT_WEIGHTS)
  .map((k) => `'${k}'`)
  .join(", ")})`;

/** Events older than this do not train the daily model. */
export const TRAINING_DAYS = 180;
/** Popularity counts the past month. */
export const POPULAR_DAYS = 30;

export interface SessionEvent {
  item: string;
  weight: number;
}

/** A person's or visitor's latest product events, newest first, weighted by kind and recency. */
export async function recentProductEvents(
  db: Queryable,
  who: { userId: string } | { anonId: string },
  limit: number,
): Promise<SessionEvent[]> {
  const [column, id] = "userId" in who ? ["user_id", who.userId] : ["anon_id", who.anonId];
  const rows = await db.query<{ target_id: string; weight: number }>(
    `SELECT target_id, ${WEIGHT_SQL} AS weight FROM events
     WHERE ${column} = $1 AND target_type = 'product' AND kind IN ${WEIGHTED_KINDS_SQL}
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [id, limit],
  );
  // Newer events count more: 0.9 per step back.
  return rows.map((r, i) => ({ item: r.target_id, weight: Number(r.weight) * 0.9 ** i }));
}

/** The person's cart: products they added and have not bought since. */
export async function openCart(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.query<{ target_id: string }>(
    `SELECT target_id FROM events
     WHERE user_id = $1 AND target_type = 'product' AND kind IN ('add_to_cart', 'purchase')
     GROUP BY target_id
     HAVING max(created_at) FILTER (WHERE kind = 'add_to_cart')
          > coalesce(max(created_at) FILTER (WHERE kind = 'purchase'), '-infinity')
     ORDER BY max(created_at) DESC LIMIT 50`,
    [userId],
  );
  return rows.map((r) => r.target_id);
}
