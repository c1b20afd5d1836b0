-- HOMETOWN's optional learned score term (issue 23): a logistic model over viewer-stream features,
-- trained by the daily stream-feeds batch from watch events (a watched stream preferred to one the
-- viewer did not watch). The active row serves; none active means the term is off. No personal data.
CREATE TABLE hometown_models (
  version text PRIMARY KEY,
  weights jsonb NOT NULL,
  pairs integer NOT NULL CHECK (pairs >= 0),
  metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  active boolean NOT NULL DEFAULT false,
  trained_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX hometown_models_active_idx ON hometown_models ((true)) WHERE active;

ALTER TABLE hometown_models ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON hometown_models FROM anon, authenticated;
GRANT ALL ON hometown_models TO service_role;
