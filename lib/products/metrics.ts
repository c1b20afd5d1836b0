import type { Queryable } from "../db/types";
import type { BatchPhase } from "../jobs/batch";

/** A click counts for an impression within this long after it; carts and purchases within a day. */
const CLICK_WINDOW = "1 hour";
const BUY_WINDOW = "1 day";

export interface ProductMetricsRow {
  modelVersion: string | null;
  context: string;
  source: string;
  explored: boolean;
  impressions: number;
  clicks: number;
  addToCarts: number;
  purchases: number;
  ctr: number;
  addToCartRate: number;
  conversionRate: number;
}

/**
 * Seed 000's business metrics over the week before `periodEnd`, per model version, context, path
 * and whether the slot was explored: each impression counts once as clicked, carted or bought
 * when the same viewer (person or visitor) clicked the product within CLICK_WINDOW of it, or
 * added it to the cart or bought it within BUY_WINDOW. Counts only: nothing about who.
 */
export async function computeProductMetrics(db: Queryable, periodEnd: Date): Promise<ProductMetricsRow[]> {
  const periodStart = new Date(periodEnd.getTime() - 7 * 86_400_000);
  const rows = await db.query<{
    model_version: string | null;
    context: string;
    source: string;
    explored: boolean;
    impressions: number;
    clicks: number;
    carts: number;
    purchases: number;
  }>(
    `WITH shown AS (
       SELECT i.user_id, i.anon_id, i.target_id, i.created_at,
              i.payload ->> 'modelVersion' AS model_version, coalesce(i.payload ->> 'context', 'other') AS context,
              coalesce(i.payload ->> 'source', 'unknown') AS source, coalesce((i.payload ->> 'explored')::boolean, false) AS explored
       FROM events i
       WHERE i.kind = 'impression' AND i.target_type = 'product' AND i.created_at >= $1 AND i.created_at < $2
     ), outcome AS (
       -- The viewer's later events on the product, read once per impression.
       SELECT s.*, coalesce(later.clicked, false) AS clicked, coalesce(later.carted, false) AS carted,
              coalesce(later.bought, false) AS bought
       FROM shown s
       LEFT JOIN LATERAL (
         SELECT bool_or(e.created_at < s.created_at + interval '${CLICK_WINDOW}') AS clicked,
                bool_or(e.kind = 'add_to_cart') AS carted, bool_or(e.kind = 'purchase') AS bought
         FROM events e
         WHERE e.kind IN ('click', 'add_to_cart', 'purchase') AND e.target_type = 'product'
           AND e.target_id = s.target_id AND (e.user_id = s.user_id OR e.anon_id = s.anon_id)
           AND e.created_at >= s.created_at AND e.created_at < s.created_at + interval '${BUY_WINDOW}'
       ) later ON true
     )
     SELECT model_version, context, source, explored, count(*)::int AS impressions,
            count(*) FILTER (WHERE clicked)::int AS clicks, count(*) FILTER (WHERE carted)::int AS carts,
            count(*) FILTER (WHERE bought)::int AS purchases
     FROM outcome GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    [periodStart, periodEnd],
  );
  const rate = (n: number, d: number) => Math.round((n / d) * 10_000) / 10_000;
  return rows.map((r) => ({
    modelVersion: r.model_version,
    context: r.context,
    source: r.source,
    explored: r.explored,
    impressions: r.impressions,
    clicks: r.clicks,
    addToCarts: r.carts,
    purchases: r.purchases,
    ctr: rate(r.clicks, r.impressions),
    addToCartRate: rate(r.carts, r.impressions),
    conversionRate: rate(r.purchases, r.impressions),
  }));
}

/** The daily `product-metrics` batch: the past week's rates stored (product_metrics) and logged. */
export function productMetricsPhase(now: () => Date): BatchPhase {
  return {
    name: "product metrics",
    total: async () => 1,
    async step(tx) {
      const end = now();
      const start = new Date(end.getTime() - 7 * 86_400_000);
      const rows = await computeProductMetrics(tx, end);
      for (const r of rows) {
        await tx.query(
          `INSERT INTO product_metrics (period_start, period_end, model_version, context, source, explored,
             impressions, clicks, add_to_carts, purchases, ctr, add_to_cart_rate, conversion_rate)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            start,
            end,
            r.modelVersion,
            r.context,
            r.source,
            r.explored,
            r.impressions,
            r.clicks,
            r.addToCarts,
            r.purchases,
            r.ctr,
            r.addToCartRate,
            r.conversionRate,
          ],
        );
        console.log(`[mesh] product-metrics: ${JSON.stringify(r)}`);
      }
      return { processed: 1, cursor: null, done: true };
    },
  };
}
