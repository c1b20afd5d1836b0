-- The job queue drained from the database side (issue 16). Vercel's Hobby plan runs a cron job
-- at most once a day, so /api/cron/worker in vercel.json alone leaves a privacy switch, an import
-- or a Spotify sync waiting up to a day. Where pg_cron and pg_net are both installed (Supabase),
-- pg_cron wakes the worker every minute through an HTTP call to /api/cron/worker, only when a job
-- is ready. Elsewhere this migration says so and leaves the queue to Vercel Cron, the in-process
-- worker (embedded mode) or `npm run job -- worker`.
--
-- The call uses the settings mesh_cron_dispatch() already reads (see 20261125002000_taste.sql):
--   ALTER DATABASE postgres SET app.mesh_cron_url = 'https://<app>/api/cron';
--   ALTER DATABASE postgres SET app.mesh_cron_secret = '<CRON_SECRET>';

-- pg_net where the server offers it and pg_cron is here to use it (pg_cron's own database).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron')
     AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_net') THEN
    CREATE EXTENSION IF NOT EXISTS pg_net;
  END IF;
END
$$;

-- Stale `running` jobs are claimed again (lib/jobs/worker.ts); the check below finds them by index.
CREATE INDEX IF NOT EXISTS jobs_running_idx ON jobs (locked_at) WHERE status = 'running';

-- Whether a worker call would find work now: claimJobs()'s condition (15 min = STALE_LOCK_MINUTES).
CREATE OR REPLACE FUNCTION mesh_queue_ready() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM jobs WHERE status = 'queued' AND run_after <= now())
      OR EXISTS (SELECT 1 FROM jobs WHERE status = 'running' AND locked_at < now() - interval '15 minutes')
$$;
REVOKE ALL ON FUNCTION mesh_queue_ready() FROM PUBLIC, anon, authenticated;

-- What the schedule runs: nothing when the queue has nothing ready (no idle function calls), else
-- one asynchronous GET of /api/cron/worker. pg_net sends it after the transaction commits; the
-- route drains the queue for up to CRON_BUDGET_MS and a batch that pauses queues its continuation,
-- which the next minute's call picks up. Missing settings fail the run (cron.job_run_details shows
-- the message) rather than skip it quietly.
CREATE OR REPLACE FUNCTION mesh_wake_worker() RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  base text := nullif(current_setting('app.mesh_cron_url', true), '');
  secret text := nullif(current_setting('app.mesh_cron_secret', true), '');
BEGIN
  IF NOT mesh_queue_ready() THEN
    RETURN 'idle';
  END IF;
  IF base IS NULL OR secret IS NULL THEN
    RAISE EXCEPTION 'mesh_wake_worker: set app.mesh_cron_url and app.mesh_cron_secret so pg_cron can call /api/cron/worker';
  END IF;
  -- The response is not awaited; the timeout only bounds how long pg_net keeps the connection.
  EXECUTE 'SELECT net.http_get(url := $1, headers := $2, timeout_milliseconds := $3)'
    USING base || '/worker', jsonb_build_object('Authorization', 'Bearer ' || secret), 60000;
  RETURN 'called';
END
$$;
REVOKE ALL ON FUNCTION mesh_wake_worker() FROM PUBLIC, anon, authenticated;

-- Schedules the minute-by-minute wake-up where it can work, and says why not elsewhere. Callable
-- again after installing pg_net later: SELECT mesh_schedule_queue_drain();
CREATE OR REPLACE FUNCTION mesh_schedule_queue_drain() RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
    RAISE NOTICE 'pg_cron is not installed in this database: the job queue is drained by the in-process worker (embedded mode), Vercel Cron (/api/cron/worker, daily on the Hobby plan) or npm run job -- worker';
    RETURN false;
  END IF;
  -- Any version's net.http_get (its signature grew over releases); the call passes named arguments.
  IF NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'net' AND p.proname = 'http_get') THEN
    RAISE NOTICE 'pg_net is not installed: pg_cron cannot call /api/cron/worker, so the job queue is drained by Vercel Cron (/api/cron/worker, daily on the Hobby plan) or npm run job -- worker. Install pg_net, then SELECT mesh_schedule_queue_drain(); to drain it every minute';
    RETURN false;
  END IF;
  PERFORM schedule_mesh_job('mesh-queue-drain', '* * * * *', 'SELECT public.mesh_wake_worker()');
  RETURN true;
END
$$;
REVOKE ALL ON FUNCTION mesh_schedule_queue_drain() FROM PUBLIC, anon, authenticated;

SELECT mesh_schedule_queue_drain();
