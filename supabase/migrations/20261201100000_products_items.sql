-- Products and the item engine (issue 22). The catalogue is `products`; the engine (lib/items)
-- is not product-specific: its model runs, neighbour lists and per-person daily lists are keyed by
-- a `scenario` ('products' today; live streams later), so another catalogue reuses the tables.

CREATE TABLE products (
  id text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 200),
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
  -- The category path from the top: {'Home', 'Kitchen', 'Knives'}.
  category text[] NOT NULL DEFAULT '{}' CHECK (cardinality(category) <= 8),
  price numeric(12, 2) CHECK (price >= 0),
  available boolean NOT NULL DEFAULT true,
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_top_category_idx ON products ((category[1])) WHERE available;

-- One fitted model per scenario and day; serving reads the active one.
CREATE TABLE item_models (
  version text PRIMARY KEY,
  scenario text NOT NULL,
  algorithm text NOT NULL CHECK (algorithm IN ('ease', 'item-knn')),
  items int NOT NULL,
  people int NOT NULL,
  trained_at timestamptz NOT NULL DEFAULT now(),
  active boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX item_models_active_idx ON item_models (scenario) WHERE active;

-- Per item, the items it leads to (item-to-item, carts, sessions), best first.
CREATE TABLE item_neighbours (
  model_version text NOT NULL REFERENCES item_models (version) ON DELETE CASCADE,
  item_id text NOT NULL,
  neighbours text[] NOT NULL,
  scores real[] NOT NULL,
  PRIMARY KEY (model_version, item_id)
);

-- Popularity per item over the recent past (weighted events), for the popular and category paths.
CREATE TABLE item_popularity (
  scenario text NOT NULL,
  item_id text NOT NULL,
  score double precision NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scenario, item_id)
);
CREATE INDEX item_popularity_score_idx ON item_popularity (scenario, score DESC);

-- The daily batch's list per person: what the home page serves from cache.
CREATE TABLE item_recommendations (
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  scenario text NOT NULL,
  model_version text NOT NULL,
  items text[] NOT NULL,
  scores real[] NOT NULL,
  generated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, scenario)
);

ALTER TABLE products ENABLE ROW LEVEL SECURITY;
ALTER TABLE item_models ENABLE ROW LEVEL SECURITY;
ALTER TABLE item_neighbours ENABLE ROW LEVEL SECURITY;
ALTER TABLE item_popularity ENABLE ROW LEVEL SECURITY;
ALTER TABLE item_recommendations ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON products, item_models, item_neighbours, item_popularity, item_recommendations FROM anon, authenticated;
GRANT ALL ON products, item_models, item_neighbours, item_popularity, item_recommendations TO service_role;
-- The catalogue is public; a person may read their own list (data export); the server writes.
GRANT SELECT ON products TO anon, authenticated;
CREATE POLICY products_public_select ON products FOR SELECT TO anon, authenticated USING (true);
GRANT SELECT ON item_recommendations TO authenticated;
CREATE POLICY item_recommendations_owner_select ON item_recommendations FOR SELECT TO authenticated
  USING (user_id = auth.uid());

-- The `recommendations` switch (seed 000's preferences.recommendations): off, a person gets
-- popular products only and leaves the next training set.
ALTER TABLE privacy_settings DROP CONSTRAINT privacy_settings_category_check;
ALTER TABLE privacy_settings ADD CONSTRAINT privacy_settings_category_check CHECK (category IN
  ('favorites', 'connectors', 'interests', 'behaviour', 'location', 'discoverable', 'recommendations'));

-- The daily batch: the model over weighted shop events, then every trained person's list.
SELECT schedule_mesh_job('mesh-product-recommendations', '20 3 * * *',
  $cmd$SELECT public.mesh_cron_dispatch('product-recommendations')$cmd$);
