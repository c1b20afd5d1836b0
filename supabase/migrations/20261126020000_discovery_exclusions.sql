-- One rule for who may be suggested to whom (issue 15). The exclusions were copied into
-- discovery_ann and discovery_popular_nearby and had drifted: the fallback still suggested people
-- who had accepted the viewer's connection request. They now live in two functions that every
-- candidate source calls, one per half of the rule, because the halves need different plans:
--
-- * discovery_excluded(viewer): who is out because of their relation to this viewer: the viewer,
--   blocks either way, people the viewer already acted on (passed, swiped left, less like this,
--   connected, requested, accepted) and people who accepted the viewer's request. A viewer's own
--   few ids, computed once per call into an array that each scanned row is checked against.
-- * discovery_hidden(signal): who may be suggested to nobody: people who switched `discoverable`
--   off, and those who switched off the signal the source found them by (favorites: taste ANN;
--   interests: profile ANN; location: nearby). Global and growing with the user base, so it is
--   never materialised per call: an SQL function the planner inlines (no SET clause, not strict,
--   not SECURITY DEFINER), so `NOT EXISTS (... discovery_hidden(s) h WHERE h.user_id = x)` is a
--   plain anti-join that the planner runs as it sees fit: a primary-key probe per row the HNSW
--   scan finds, or one hash of the switched-off rows for an exact scan of a small table.
--
-- discovery_hidden reads one table on purpose. Written as a UNION of profiles (the discoverable
-- flag) and privacy_settings, the anti-join cannot be parameterised through the UNION: PostgreSQL
-- hashed both sides and sorted the whole vector table (an exact scan, 60 ms instead of 9 ms for
-- discovery_ann at 30k users); written per candidate, it forced a per-row subplan that seq-scanned
-- a small privacy_settings for every row (3x slower at 2,000 users). So the profile flag and the
-- privacy switch, one setting that lib/privacy/settings.ts already writes in both places, are
-- kept equal by a trigger on the flag, and the rule reads the switch.
--
-- The one-target lookups (why/:targetId, and the ranker's training examples) explain or learn from
-- people the viewer already knows, so they pass p_acted_on = false: self and blocks still exclude.
-- Harassment above the threshold stays with the safety stage, which every source's output passes.

CREATE FUNCTION public.discovery_excluded(p_viewer uuid, p_acted_on boolean DEFAULT true)
RETURNS uuid[]
LANGUAGE sql STABLE
SET search_path = public
AS $$
  SELECT coalesce(array_agg(DISTINCT x), '{}') FROM (
    SELECT p_viewer AS x
    UNION ALL SELECT b.blocked_id FROM blocks b WHERE b.blocker_id = p_viewer
    UNION ALL SELECT b.blocker_id FROM blocks b WHERE b.blocked_id = p_viewer
    UNION ALL SELECT f.target_user_id FROM feedback f
      WHERE p_acted_on AND f.user_id = p_viewer AND f.target_user_id IS NOT NULL
        AND f.action IN ('pass', 'swipe_left', 'less_like_this', 'connect', 'connect_request', 'connect_accept')
    UNION ALL SELECT f.user_id FROM feedback f
      WHERE p_acted_on AND f.target_user_id = p_viewer AND f.action = 'connect_accept'
  ) e
$$;

CREATE FUNCTION public.discovery_hidden(p_signal text DEFAULT NULL)
RETURNS TABLE (user_id uuid)
LANGUAGE sql STABLE
AS $$
  SELECT s.user_id FROM public.privacy_settings s
  WHERE NOT s.enabled AND s.category IN ('discoverable', p_signal)
$$;

REVOKE ALL ON FUNCTION public.discovery_excluded(uuid, boolean) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.discovery_hidden(text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.discovery_excluded(uuid, boolean) TO service_role;
GRANT EXECUTE ON FUNCTION public.discovery_hidden(text) TO service_role;

-- profiles.discoverable written alone (the browser may update its own profile; scripts and tests
-- do) moves the `discoverable` switch with it. A missing switch row means on, so turning the flag
-- on only updates a row that exists.
CREATE FUNCTION public.profiles_discoverable_to_privacy() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  IF NEW.discoverable THEN
    UPDATE privacy_settings SET enabled = true, updated_at = now()
    WHERE user_id = NEW.user_id AND category = 'discoverable' AND NOT enabled;
  ELSE
    INSERT INTO privacy_settings (user_id, category, enabled) VALUES (NEW.user_id, 'discoverable', false)
    ON CONFLICT (user_id, category) DO UPDATE SET enabled = false, updated_at = now()
    WHERE privacy_settings.enabled;
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.profiles_discoverable_to_privacy() FROM PUBLIC, anon, authenticated;

CREATE TRIGGER profiles_discoverable_on_insert
  AFTER INSERT ON profiles
  FOR EACH ROW WHEN (NOT NEW.discoverable) EXECUTE FUNCTION public.profiles_discoverable_to_privacy();
CREATE TRIGGER profiles_discoverable_on_update
  AFTER UPDATE OF discoverable ON profiles
  FOR EACH ROW WHEN (OLD.discoverable IS DISTINCT FROM NEW.discoverable)
  EXECUTE FUNCTION public.profiles_discoverable_to_privacy();

-- Profiles hidden before this migration: whoever is hidden by either the flag or the switch today
-- stays hidden.
INSERT INTO privacy_settings (user_id, category, enabled)
SELECT p.user_id, 'discoverable', false FROM profiles p WHERE NOT p.discoverable
ON CONFLICT (user_id, category) DO UPDATE SET enabled = false, updated_at = now()
WHERE privacy_settings.enabled;

-- discovery_ann, fourth version: the third's scans (model versions, distances) under the shared rule.
CREATE OR REPLACE FUNCTION public.discovery_ann(
  p_viewer uuid, p_taste vector, p_embedding vector, p_taste_k integer, p_profile_k integer
) RETURNS TABLE (candidate_id uuid, found_by text, distance double precision)
LANGUAGE plpgsql STABLE
SET search_path = public
SET hnsw.ef_search = 400
SET hnsw.iterative_scan = 'relaxed_order'
AS $$
DECLARE
  excluded uuid[] := discovery_excluded(p_viewer);
  viewer_model text;
  viewer_encoder text;
BEGIN
  IF p_taste IS NOT NULL AND p_taste_k > 0 THEN
    SELECT t.model_version INTO viewer_model FROM user_taste_vectors t WHERE t.user_id = p_viewer;
    RETURN QUERY
    SELECT t.user_id, 'taste'::text, t.taste <=> p_taste FROM user_taste_vectors t
    WHERE t.user_id <> ALL (excluded)
      AND (viewer_model IS NULL OR t.model_version = viewer_model)
      AND NOT EXISTS (SELECT 1 FROM discovery_hidden('favorites') h WHERE h.user_id = t.user_id)
    ORDER BY t.taste <=> p_taste
    LIMIT p_taste_k;
  END IF;

  IF p_embedding IS NOT NULL AND p_profile_k > 0 THEN
    SELECT e.model_version INTO viewer_encoder FROM user_embeddings e WHERE e.user_id = p_viewer;
    RETURN QUERY
    SELECT e.user_id, 'profile'::text, e.embedding <=> p_embedding FROM user_embeddings e
    WHERE e.user_id <> ALL (excluded)
      AND (viewer_encoder IS NULL OR e.model_version = viewer_encoder)
      AND NOT EXISTS (SELECT 1 FROM discovery_hidden('interests') h WHERE h.user_id = e.user_id)
    ORDER BY e.embedding <=> p_embedding
    LIMIT p_profile_k;
  END IF;
END
$$;

-- discovery_popular_nearby, second version: the shared rule, which now also keeps out people who
-- accepted the viewer's connection request (an intended change: the first version missed them).
-- `p.discoverable` stays in the nearby scan: the partial index profiles_lat_lon_idx
-- (WHERE discoverable) is usable only when the query implies it.
CREATE OR REPLACE FUNCTION public.discovery_popular_nearby(
  p_viewer uuid, p_lat double precision, p_lon double precision, p_k integer
) RETURNS TABLE (candidate_id uuid, found_by text)
LANGUAGE plpgsql STABLE
SET search_path = public
AS $$
DECLARE
  excluded uuid[] := discovery_excluded(p_viewer);
BEGIN
  RETURN QUERY
  SELECT f.target_user_id, 'popular'::text FROM feedback f
  WHERE f.action IN ('connect', 'connect_request', 'connect_accept', 'swipe_right', 'more_like_this')
    AND f.created_at > now() - interval '90 days'
    AND f.target_user_id <> ALL (excluded)
    AND NOT EXISTS (SELECT 1 FROM discovery_hidden() h WHERE h.user_id = f.target_user_id)
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
      AND NOT EXISTS (SELECT 1 FROM discovery_hidden('location') h WHERE h.user_id = p.user_id)
    ORDER BY (p.lat - p_lat) ^ 2 + ((p.lon - p_lon) * cos(radians(p_lat))) ^ 2
    LIMIT p_k;
  END IF;
END
$$;
