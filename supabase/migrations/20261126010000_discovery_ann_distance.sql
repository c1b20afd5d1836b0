-- discovery_ann, third version: the same scans, each candidate now with the cosine distance the
-- scan ordered it by. Retrieval needs both similarities for every candidate; for the source that
-- found a candidate it used to fetch the 1 kB vector again and recompute it. A candidate is
-- almost always found by one source only, so this halves the vector reads of the retrieval
-- statement. The return type changes, so the function is dropped and created again (with the
-- same grants).
DROP FUNCTION public.discovery_ann(uuid, vector, vector, integer, integer);

CREATE FUNCTION public.discovery_ann(
  p_viewer uuid, p_taste vector, p_embedding vector, p_taste_k integer, p_profile_k integer
) RETURNS TABLE (candidate_id uuid, found_by text, distance double precision)
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
    SELECT t.user_id, 'taste'::text, t.taste <=> p_taste FROM user_taste_vectors t
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
    SELECT e.user_id, 'profile'::text, e.embedding <=> p_embedding FROM user_embeddings e
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

REVOKE ALL ON FUNCTION public.discovery_ann(uuid, vector, vector, integer, integer) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.discovery_ann(uuid, vector, vector, integer, integer) TO service_role;
