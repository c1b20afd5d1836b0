-- Nightly Spotify delta sync: queue one connector-sync job per connected account (skipping those
-- already queued), for the job worker (in-process, /api/cron/worker or the Edge Function).
CREATE OR REPLACE FUNCTION public.enqueue_spotify_syncs() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  WITH queued AS (
    INSERT INTO jobs (kind, payload)
    SELECT 'connector-sync',
           jsonb_build_object('userId', a.user_id, 'service', 'spotify', 'dedupeKey', 'spotify:' || a.user_id)
    FROM connector_accounts a
    WHERE a.service = 'spotify' AND a.tokens_encrypted IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM jobs j
                      WHERE j.kind = 'connector-sync' AND j.status IN ('queued', 'running')
                        AND j.payload ->> 'dedupeKey' = 'spotify:' || a.user_id)
    RETURNING 1)
  SELECT count(*)::int FROM queued
$$;
REVOKE ALL ON FUNCTION public.enqueue_spotify_syncs() FROM PUBLIC, anon, authenticated;

SELECT schedule_mesh_job('mesh-spotify-nightly', '0 3 * * *', 'SELECT public.enqueue_spotify_syncs()');
