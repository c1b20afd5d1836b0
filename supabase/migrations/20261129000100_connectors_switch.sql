-- The `connectors` privacy switch (issue 16): the nightly Spotify run queues no sync for someone
-- who switched it off. Switching it off also drops their queued syncs, and a sync that runs anyway
-- checks the switch before it asks Spotify and again before it writes (lib/connectors); this is
-- the database side of the same promise. Same function as 20261125010000_spotify_nightly.sql
-- otherwise, redefined here because a landed migration is never edited.
CREATE OR REPLACE FUNCTION public.enqueue_spotify_syncs() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  WITH queued AS (
    INSERT INTO jobs (kind, payload)
    SELECT 'connector-sync',
           jsonb_build_object('userId', a.user_id, 'service', 'spotify', 'dedupeKey', 'spotify:' || a.user_id)
    FROM connector_accounts a
    WHERE a.service = 'spotify' AND a.tokens_encrypted IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM privacy_settings s
                      WHERE s.user_id = a.user_id AND s.category = 'connectors' AND NOT s.enabled)
      AND NOT EXISTS (SELECT 1 FROM jobs j
                      WHERE j.kind = 'connector-sync' AND j.status IN ('queued', 'running')
                        AND j.payload ->> 'dedupeKey' = 'spotify:' || a.user_id)
    RETURNING 1)
  SELECT count(*)::int FROM queued
$$;
REVOKE ALL ON FUNCTION public.enqueue_spotify_syncs() FROM PUBLIC, anon, authenticated;
