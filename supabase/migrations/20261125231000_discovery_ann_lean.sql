-- discovery_ann, second version (same signature, so callers and grants are unchanged):
--
-- 1. Vectors are compared only with vectors of the viewer's own model version (the PCA model for
--    taste, the encoder version for profile embeddings). After a refit the nightly batch rewrites
--    vectors chunk by chunk; until it is through, old and new vectors live in different spaces and
--    their cosine means nothing.
-- 2. The eligibility checks are anti-joins against the few people who are hidden (a partial index
--    of non-discoverable profiles, privacy_settings rows switched off) instead of a join with every
--    profile. With a join the planner could hash the whole vector table (1 kB a row) against
--    profiles and sort it: an exact scan, 20x slower than the index scan at 5,000 users and growing
--    with the user base; a per-row primary-key lookup of the profile cost 12-18 ms of a 4 ms scan
--    at 100k users. As filters, the HNSW iterative scan checks each row it finds, so they still
--    cannot starve the result. (A candidate without a profile is dropped by the retrieval
--    statement's join with profiles.)
CREATE INDEX IF NOT EXISTS profiles_hidden_idx ON profiles (user_id) WHERE NOT discoverable;

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
  viewer_model text;
  viewer_encoder text;
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
    SELECT t.model_version INTO viewer_model FROM user_taste_vectors t WHERE t.user_id = p_viewer;
    RETURN QUERY
    SELECT t.user_id, 'taste'::text FROM user_taste_vectors t
    WHERE t.user_id <> ALL (excluded)
      AND (viewer_model IS NULL OR t.model_version = viewer_model)
      AND NOT EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = t.user_id AND NOT p.discoverable)
      AND NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = t.user_id
                        AND s.category IN ('discoverable', 'favorites') AND NOT s.enabled)
    ORDER BY t.taste <=> p_taste
    LIMIT p_taste_k;
  END IF;

  IF p_embedding IS NOT NULL AND p_profile_k > 0 THEN
    SELECT e.model_version INTO viewer_encoder FROM user_embeddings e WHERE e.user_id = p_viewer;
    RETURN QUERY
    SELECT e.user_id, 'profile'::text FROM user_embeddings e
    WHERE e.user_id <> ALL (excluded)
      AND (viewer_encoder IS NULL OR e.model_version = viewer_encoder)
      AND NOT EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = e.user_id AND NOT p.discoverable)
      AND NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = e.user_id
                        AND s.category IN ('discoverable', 'interests') AND NOT s.enabled)
    ORDER BY e.embedding <=> p_embedding
    LIMIT p_profile_k;
  END IF;
END
$$;
