-- Batch schedules. Real where pg_cron is installed and this is its database (Supabase, the local
-- PostgreSQL from scripts/local-postgres.sh); a no-op elsewhere (PGlite, other databases).
-- Jobs enqueue work into `jobs`, which the runners in lib/jobs pick up; schedules are added by
-- the migrations of the jobs themselves through schedule_mesh_job().

CREATE OR REPLACE FUNCTION schedule_mesh_job(job_name text, cron_expr text, command text)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
    RETURN false;
  END IF;
  EXECUTE 'SELECT cron.schedule($1, $2, $3)' USING job_name, cron_expr, command;
  RETURN true;
END
$$;
REVOKE ALL ON FUNCTION schedule_mesh_job(text, text, text) FROM PUBLIC, anon, authenticated;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_cron')
     AND current_database() = coalesce(current_setting('cron.database_name', true), 'postgres') THEN
    CREATE EXTENSION IF NOT EXISTS pg_cron;
  END IF;
END
$$;

-- Queue housekeeping: finished jobs older than a week are removed.
SELECT schedule_mesh_job(
  'mesh-jobs-cleanup', '17 3 * * *',
  $cmd$DELETE FROM public.jobs WHERE status IN ('done', 'dead') AND updated_at < now() - interval '7 days'$cmd$
);
