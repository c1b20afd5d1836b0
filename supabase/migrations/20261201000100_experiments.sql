-- Experiments: variants with traffic shares, each naming a ranker version and/or discovery settings
-- (MMR lambda, exploration rate). One experiment runs at a time; a person's variant is drawn
-- deterministically from (experiment, person) and persisted on their first exposure. Exposures
-- are the impressions logged with payload.experiment = {id, variant}.

CREATE TABLE experiments (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'stopped', 'promoted')),
  -- [{"name": "control", "share": 0.5, "settings": {"modelVersion"?, "mmrLambda"?, "explorationRate"?}}, ...];
  -- the first variant is the control.
  variants jsonb NOT NULL CHECK (jsonb_typeof(variants) = 'array' AND jsonb_array_length(variants) >= 2),
  winner text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  stopped_at timestamptz
);
CREATE UNIQUE INDEX experiments_one_running ON experiments ((true)) WHERE status = 'running';

CREATE TABLE experiment_assignments (
  experiment_id text NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  variant text NOT NULL,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (experiment_id, user_id)
);

-- Weekly coverage: the share of discoverable people shown to someone at least once in the week.
CREATE TABLE coverage_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  discoverable integer NOT NULL,
  shown integer NOT NULL,
  coverage real,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Exploration counts how often each candidate was shown this week; coverage reads who was shown.
CREATE INDEX events_impression_target_idx ON events (target_id, created_at) WHERE kind = 'impression';

-- Metrics read one experiment's exposures.
CREATE INDEX events_experiment_idx ON events ((payload -> 'experiment' ->> 'id'), created_at)
  WHERE kind = 'impression' AND payload ? 'experiment';

ALTER TABLE experiments ENABLE ROW LEVEL SECURITY;
ALTER TABLE experiment_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE coverage_reports ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON experiments, experiment_assignments, coverage_reports FROM anon, authenticated;
GRANT ALL ON experiments, experiment_assignments, coverage_reports TO service_role;

SELECT schedule_mesh_job('mesh-coverage-report', '40 6 * * 1', $cmd$SELECT public.mesh_cron_dispatch('coverage-report')$cmd$);
