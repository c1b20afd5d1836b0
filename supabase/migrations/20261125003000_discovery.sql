-- Discovery serving (issue #5): ANN indexes, the retrieval function, caches, ranker models and
-- the server-only tables the safety and fairness stages read. Nothing here is granted to anon or
-- authenticated: discovery is served by route handlers, never read by the browser directly.

-- ANN indexes (cosine, as the retrieval function orders by <=>).
CREATE INDEX IF NOT EXISTS user_taste_vectors_taste_hnsw
  ON user_taste_vectors USING hnsw (taste vector_cosine_ops);
CREATE INDEX IF NOT EXISTS user_embeddings_embedding_hnsw
  ON user_embeddings USING hnsw (embedding vector_cosine_ops);

-- The cold-start fallback looks for people near the viewer with a latitude/longitude box.
CREATE INDEX IF NOT EXISTS profiles_lat_lon_idx ON profiles (lat, lon) WHERE discoverable;

-- Feedback carries the actions of the discovery API (issue #5) beside the original ones.
ALTER TABLE feedback DROP CONSTRAINT IF EXISTS feedback_action_check;
ALTER TABLE feedback ADD CONSTRAINT feedback_action_check CHECK (action IN
  ('swipe_left', 'swipe_right', 'click', 'connect_request', 'connect_accept',
   'pass', 'connect', 'more_like_this', 'less_like_this'));
-- Mutual connections and acceptance history read connect actions by either side.
CREATE INDEX IF NOT EXISTS feedback_target_action_idx ON feedback (target_user_id, action);
CREATE INDEX IF NOT EXISTS feedback_user_action_idx ON feedback (user_id, action);

-- Server-only tables ------------------------------------------------------------------------------

-- One cached slate per viewer: the ordered candidates with scores and structured reasons
-- (rendered per locale at response time). Invalidated by deleting the row.
CREATE TABLE slate_cache (
  viewer_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  payload jsonb NOT NULL,
  model_version text NOT NULL,
  generated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

-- The explanation of one target for one viewer (what /why/:targetId answers).
CREATE TABLE why_cache (
  viewer_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  target_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  payload jsonb NOT NULL,
  model_version text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (viewer_id, target_id)
);

-- Ranker versions. A linear model: score = bias + sum(weights[f] * features[f]), so every
-- feature's contribution to a score is exact (explanations read them). One version is active.
CREATE TABLE ranker_models (
  version text PRIMARY KEY,
  kind text NOT NULL DEFAULT 'linear' CHECK (kind IN ('linear')),
  bias double precision NOT NULL DEFAULT 0,
  weights jsonb NOT NULL,
  metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  active boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz
);
CREATE UNIQUE INDEX ranker_models_one_active ON ranker_models ((true)) WHERE active;

-- The documented prior (lib/discovery/ranker.ts holds the same numbers and says why).
INSERT INTO ranker_models (version, kind, bias, weights, metrics, active, activated_at) VALUES (
  'prior-v1', 'linear', 0,
  '{"tasteSimilarity": 0.30, "profileSimilarity": 0.15, "sharedFavorites": 0.20, "traitOverlap": 0.10,
    "sharedHobbies": 0.05, "mutualConnections": 0.10, "proximity": 0.05, "recentActivity": 0.03,
    "acceptanceRate": 0.02}'::jsonb,
  '{"note": "hand-set prior, used until feedback trains a model"}'::jsonb,
  true, now()
);

-- Harassment scores from moderation (0..1). Above 0.8 a user is never recommended.
CREATE TABLE safety_scores (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  harassment_score real NOT NULL CHECK (harassment_score BETWEEN 0 AND 1),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A protected attribute kept for the fairness audit only: the fairness stage balances exposure
-- across its groups, and nothing else (features, reasons, logs) ever reads it.
CREATE TABLE fairness_audit_attributes (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  audit_group text NOT NULL CHECK (char_length(audit_group) BETWEEN 1 AND 40),
  recorded_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE slate_cache ENABLE ROW LEVEL SECURITY;
ALTER TABLE why_cache ENABLE ROW LEVEL SECURITY;
ALTER TABLE ranker_models ENABLE ROW LEVEL SECURITY;
ALTER TABLE safety_scores ENABLE ROW LEVEL SECURITY;
ALTER TABLE fairness_audit_attributes ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON slate_cache, why_cache, ranker_models, safety_scores, fairness_audit_attributes
  FROM anon, authenticated;
GRANT ALL ON slate_cache, why_cache, ranker_models, safety_scores, fairness_audit_attributes TO service_role;

-- Retrieval ---------------------------------------------------------------------------------------

-- Candidate ids for a viewer in one call: ANN on taste vectors UNION ANN on profile embeddings,
-- with every exclusion applied inside the scans so the iterative HNSW scan keeps going until it
-- has enough eligible rows (a filter applied afterwards would starve the result). Excluded: self,
-- blocks either way, non-discoverable users (profile flag or privacy category), people the viewer
-- already acted on, and users whose privacy settings rule out the source that found them
-- (favorites off: not via taste; interests off: not via profile embedding).
-- The SET clauses give the scans a wide enough beam and relaxed-order iterative scanning without
-- a transaction around the call.
CREATE OR REPLACE FUNCTION public.discovery_ann(
  p_viewer uuid, p_taste vector, p_embedding vector, p_taste_k integer, p_profile_k integer
) RETURNS TABLE (candidate_id uuid, found_by text)
LANGUAGE plpgsql STABLE
SET search_path = public
SET hnsw.ef_search = 400
SET hnsw.iterative_scan = 'relaxed_order'
AS $$
DECLARE
  excluded uuid[];
BEGIN
  SELECT coalesce(array_agg(DISTINCT x), '{}') INTO excluded FROM (
    SELECT p_viewer AS x
    UNION ALL SELECT b.blocked_id FROM blocks b WHERE b.blocker_id = p_viewer
    UNION ALL SELECT b.blocker_id FROM blocks b WHERE b.blocked_id = p_viewer
    UNION ALL SELECT f.target_user_id FROM feedback f
      WHERE f.user_id = p_viewer AND f.target_user_id IS NOT NULL
        AND f.action IN ('pass', 'swipe_left', 'less_like_this', 'connect', 'connect_request', 'connect_accept')
    UNION ALL SELECT f.user_id FROM feedback f
      WHERE f.target_user_id = p_viewer AND f.action = 'connect_accept'
  ) e;

  IF p_taste IS NOT NULL AND p_taste_k > 0 THEN
    RETURN QUERY
    SELECT t.user_id, 'taste'::text FROM user_taste_vectors t
    JOIN profiles p ON p.user_id = t.user_id AND p.discoverable
    WHERE t.user_id <> ALL (excluded)
      AND NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = t.user_id
                        AND s.category IN ('discoverable', 'favorites') AND NOT s.enabled)
    ORDER BY t.taste <=> p_taste
    LIMIT p_taste_k;
  END IF;

  IF p_embedding IS NOT NULL AND p_profile_k > 0 THEN
    RETURN QUERY
    SELECT e.user_id, 'profile'::text FROM user_embeddings e
    JOIN profiles p ON p.user_id = e.user_id AND p.discoverable
    WHERE e.user_id <> ALL (excluded)
      AND NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = e.user_id
                        AND s.category IN ('discoverable', 'interests') AND NOT s.enabled)
    ORDER BY e.embedding <=> p_embedding
    LIMIT p_profile_k;
  END IF;
END
$$;
REVOKE ALL ON FUNCTION public.discovery_ann(uuid, vector, vector, integer, integer) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.discovery_ann(uuid, vector, vector, integer, integer) TO service_role;

-- The cold-start fallback: people others connect with most (last 90 days) and people nearby,
-- under the same exclusions (no source privacy applies: neither uses favorites or interests).
CREATE OR REPLACE FUNCTION public.discovery_popular_nearby(
  p_viewer uuid, p_lat double precision, p_lon double precision, p_k integer
) RETURNS TABLE (candidate_id uuid, found_by text)
LANGUAGE plpgsql STABLE
SET search_path = public
AS $$
DECLARE
  excluded uuid[];
BEGIN
  SELECT coalesce(array_agg(DISTINCT x), '{}') INTO excluded FROM (
    SELECT p_viewer AS x
    UNION ALL SELECT b.blocked_id FROM blocks b WHERE b.blocker_id = p_viewer
    UNION ALL SELECT b.blocker_id FROM blocks b WHERE b.blocked_id = p_viewer
    UNION ALL SELECT f.target_user_id FROM feedback f
      WHERE f.user_id = p_viewer AND f.target_user_id IS NOT NULL
        AND f.action IN ('pass', 'swipe_left', 'less_like_this', 'connect', 'connect_request', 'connect_accept')
  ) e;

  RETURN QUERY
  SELECT f.target_user_id, 'popular'::text FROM feedback f
  JOIN profiles p ON p.user_id = f.target_user_id AND p.discoverable
  WHERE f.action IN ('connect', 'connect_request', 'connect_accept', 'swipe_right', 'more_like_this')
    AND f.created_at > now() - interval '90 days'
    AND f.target_user_id <> ALL (excluded)
    AND NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = f.target_user_id
                      AND s.category = 'discoverable' AND NOT s.enabled)
  GROUP BY f.target_user_id
  ORDER BY count(*) DESC, f.target_user_id
  LIMIT p_k;

  IF p_lat IS NOT NULL AND p_lon IS NOT NULL THEN
    RETURN QUERY
    SELECT p.user_id, 'nearby'::text FROM profiles p
    WHERE p.discoverable
      AND p.lat BETWEEN p_lat - 1 AND p_lat + 1
      AND p.lon BETWEEN p_lon - 1.5 AND p_lon + 1.5
      AND p.user_id <> ALL (excluded)
      AND NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = p.user_id
                        AND s.category IN ('discoverable', 'location') AND NOT s.enabled)
    ORDER BY (p.lat - p_lat) ^ 2 + ((p.lon - p_lon) * cos(radians(p_lat))) ^ 2
    LIMIT p_k;
  END IF;
END
$$;
REVOKE ALL ON FUNCTION public.discovery_popular_nearby(uuid, double precision, double precision, integer)
  FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.discovery_popular_nearby(uuid, double precision, double precision, integer)
  TO service_role;
