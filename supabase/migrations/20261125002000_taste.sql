-- Taste (issue #4): the PCA model that turns 768-d title embeddings into the 256-d taste space,
-- each title's projection under it, the embeddings provider's cache, traits bookkeeping, and the
-- batch/queue plumbing the jobs in lib/jobs rely on. All of it is server-only.

-- One row per fitted PCA model. Components are float32 row-major (out_dims x in_dims) in bytea:
-- 256 x 768 floats is 768 kB as bytes, several MB as text.
CREATE TABLE taste_models (
  version text PRIMARY KEY,
  in_dims integer NOT NULL CHECK (in_dims > 0),
  out_dims integer NOT NULL CHECK (out_dims > 0),
  mean bytea NOT NULL,
  components bytea NOT NULL,
  explained_variance double precision[] NOT NULL,
  fitted_on integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Each title projected once per model: a user's taste vector is then a weighted mean of these.
CREATE TABLE media_taste_projections (
  media_id text NOT NULL REFERENCES canonical_media (id) ON DELETE CASCADE,
  model_version text NOT NULL REFERENCES taste_models (version) ON DELETE CASCADE,
  projection vector(256) NOT NULL,
  PRIMARY KEY (model_version, media_id)
);
CREATE INDEX media_taste_projections_media_idx ON media_taste_projections (media_id);

-- The OpenAI-compatible embeddings provider never embeds the same text twice.
CREATE TABLE embedding_cache (
  content_hash text NOT NULL,
  model text NOT NULL,
  embedding vector(768) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (model, content_hash)
);

-- Which favorites traits were computed from, so "changed by more than 10%" can be measured.
ALTER TABLE user_traits ADD COLUMN source_media text[] NOT NULL DEFAULT '{}';

-- At most one running batch per job: two cron invocations resume the same run, never fork it.
CREATE UNIQUE INDEX batch_runs_one_running_idx ON batch_runs (job) WHERE status = 'running';
CREATE INDEX batch_runs_job_idx ON batch_runs (job, id DESC);

ALTER TABLE taste_models ENABLE ROW LEVEL SECURITY;
ALTER TABLE media_taste_projections ENABLE ROW LEVEL SECURITY;
ALTER TABLE embedding_cache ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON taste_models, media_taste_projections, embedding_cache FROM anon, authenticated;
GRANT ALL ON taste_models, media_taste_projections, embedding_cache TO service_role;

-- What a schedule runs. On Supabase with pg_net and the two settings below, it calls the app's
-- cron route (which resumes the batch within the function's time limit):
--   ALTER DATABASE postgres SET app.mesh_cron_url = 'https://<app>/api/cron';
--   ALTER DATABASE postgres SET app.mesh_cron_secret = '<CRON_SECRET>';
-- Anywhere else it enqueues a `batch` job that a worker (npm run job -- worker, /api/cron/worker,
-- or the in-process worker in embedded mode) runs.
CREATE OR REPLACE FUNCTION mesh_cron_dispatch(job_name text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  base text := nullif(current_setting('app.mesh_cron_url', true), '');
  secret text := nullif(current_setting('app.mesh_cron_secret', true), '');
BEGIN
  IF base IS NOT NULL AND secret IS NOT NULL
     AND EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_net') THEN
    EXECUTE 'SELECT net.http_get(url := $1, headers := $2)'
      USING base || '/' || job_name, jsonb_build_object('Authorization', 'Bearer ' || secret);
    RETURN 'http';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM jobs WHERE kind = 'batch' AND status = 'queued'
                 AND payload ->> 'dedupeKey' = 'batch:' || job_name) THEN
    INSERT INTO jobs (kind, payload)
    VALUES ('batch', jsonb_build_object('job', job_name, 'dedupeKey', 'batch:' || job_name));
  END IF;
  RETURN 'queued';
END
$$;
REVOKE ALL ON FUNCTION mesh_cron_dispatch(text) FROM PUBLIC, anon, authenticated;

-- Nightly: title embeddings, then taste vectors; daily: profile embeddings; weekly: traits.
SELECT schedule_mesh_job('mesh-embeddings', '10 2 * * *', $cmd$SELECT public.mesh_cron_dispatch('embeddings')$cmd$);
SELECT schedule_mesh_job('mesh-taste-vectors', '40 2 * * *', $cmd$SELECT public.mesh_cron_dispatch('taste-vectors')$cmd$);
SELECT schedule_mesh_job('mesh-profile-embeddings', '20 4 * * *', $cmd$SELECT public.mesh_cron_dispatch('profile-embeddings')$cmd$);
SELECT schedule_mesh_job('mesh-traits', '30 5 * * 0', $cmd$SELECT public.mesh_cron_dispatch('traits')$cmd$);
