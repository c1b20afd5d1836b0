-- Seed 000's business metrics for the product recommender, per model version, context and path:
-- of the products shown (impressions logged by GET /api/recommendations), the share the viewer
-- clicked within an hour, added to the cart within a day and bought within a day.
CREATE TABLE product_metrics (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  model_version text,
  context text NOT NULL,
  source text NOT NULL,
  explored boolean NOT NULL,
  impressions integer NOT NULL,
  clicks integer NOT NULL,
  add_to_carts integer NOT NULL,
  purchases integer NOT NULL,
  ctr real NOT NULL,
  add_to_cart_rate real NOT NULL,
  conversion_rate real NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_metrics_period_idx ON product_metrics (period_end DESC);

-- The job reads the week's product impressions and the viewers' later product events.
CREATE INDEX events_product_impression_idx ON events (created_at)
  WHERE kind = 'impression' AND target_type = 'product';

ALTER TABLE product_metrics ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON product_metrics FROM anon, authenticated;
GRANT ALL ON product_metrics TO service_role;

SELECT schedule_mesh_job('mesh-product-metrics', '50 4 * * *', $cmd$SELECT public.mesh_cron_dispatch('product-metrics')$cmd$);
