-- Live streams (issue 23, seed 003): streams with a city-level location, who follows which
-- creator, and each viewer's stream preferences.
--
-- * streams: one row per broadcast. The location is the city's point from the offline gazetteer
--   (never the creator's own position), rounded to 0.01°. Live means ended_at IS NULL.
-- * The spatial index: earthdistance's ll_to_earth() as a cube, in a GiST index over live streams
--   only. PGlite 0.4.6 ships cube and earthdistance (dist/contrib), PostgreSQL has them in contrib
--   and Supabase offers both, so the same SQL runs everywhere; PostGIS is not in PGlite. The GiST
--   index answers "nearest live streams first" (ORDER BY ... <-> point, a KNN scan: cube's <-> is
--   the chord length, which orders exactly as the great-circle distance does) without reading every
--   stream. Why this rather than a geohash B-tree: see docs/DESIGN.md (measured).
-- * follows: a viewer follows a creator (for the feeds of issue 23, planned).
-- * stream_preferences: preferred categories, how much nearby matters (0-1), mature allowed.
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;

CREATE TABLE streams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  creator_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 140),
  category text NOT NULL CHECK (char_length(category) BETWEEN 1 AND 40),
  language text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
  city text NOT NULL CHECK (char_length(city) BETWEEN 1 AND 120),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  live_since timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  quality_score real NOT NULL DEFAULT 0.5 CHECK (quality_score BETWEEN 0 AND 1),
  viewer_count integer NOT NULL DEFAULT 0 CHECK (viewer_count >= 0),
  peak_viewers integer NOT NULL DEFAULT 0 CHECK (peak_viewers >= 0),
  partnered boolean NOT NULL DEFAULT false,
  mature boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_at IS NULL OR ended_at >= live_since)
);
-- Nearest live streams (HOMETOWN proximity candidates).
CREATE INDEX streams_live_earth_idx ON streams USING gist (ll_to_earth(lat, lon)) WHERE ended_at IS NULL;
-- Best live streams in a language, in a language and category, and in one city (HOMETOWN's
-- base-score candidates: streams of one city share its point, so the nearest-first walk alone
-- would pick among them arbitrarily), and the most watched in a language (the location-off fallback).
CREATE INDEX streams_live_language_idx ON streams (language, quality_score DESC) WHERE ended_at IS NULL;
CREATE INDEX streams_live_category_idx ON streams (language, category, quality_score DESC) WHERE ended_at IS NULL;
CREATE INDEX streams_live_city_idx ON streams (city, quality_score DESC) WHERE ended_at IS NULL;
CREATE INDEX streams_live_popular_idx ON streams (language, viewer_count DESC) WHERE ended_at IS NULL;
CREATE INDEX streams_creator_idx ON streams (creator_id);

CREATE TABLE follows (
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  creator_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, creator_id),
  CHECK (user_id <> creator_id)
);
CREATE INDEX follows_creator_idx ON follows (creator_id);

CREATE TABLE stream_preferences (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  categories text[] NOT NULL DEFAULT '{}' CHECK (cardinality(categories) <= 20),
  local_strength real NOT NULL DEFAULT 0.5 CHECK (local_strength BETWEEN 0 AND 1),
  mature_allowed boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE streams ENABLE ROW LEVEL SECURITY;
ALTER TABLE follows ENABLE ROW LEVEL SECURITY;
ALTER TABLE stream_preferences ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON streams, follows, stream_preferences FROM anon, authenticated;
GRANT ALL ON streams, follows, stream_preferences TO service_role;
-- Own rows are readable (data export); everything is written by the server.
GRANT SELECT ON streams, follows, stream_preferences TO authenticated;
CREATE POLICY streams_creator_select ON streams FOR SELECT TO authenticated USING (creator_id = auth.uid());
CREATE POLICY follows_owner_select ON follows FOR SELECT TO authenticated USING (user_id = auth.uid());
CREATE POLICY stream_preferences_owner_select ON stream_preferences FOR SELECT TO authenticated
  USING (user_id = auth.uid());
