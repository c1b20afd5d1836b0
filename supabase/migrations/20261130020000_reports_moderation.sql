-- Reports, moderation and the harassment score (issue 18).
--
-- reports gains the reporter's words, a status and when it was resolved. A reporter has at most
-- one open report about the same person (the partial unique index answers the API's 409).
-- Dismissed reports count for nothing; upheld ones (a moderator warned or suspended) and open ones
-- feed the harassment score job (lib/safety/harassment-rule.ts explains the rule).
ALTER TABLE reports
  ADD COLUMN details text CHECK (char_length(details) <= 1000),
  ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'upheld')),
  ADD COLUMN resolved_at timestamptz;
CREATE UNIQUE INDEX reports_open_once ON reports (reporter_id, target_id) WHERE status = 'open';
CREATE INDEX reports_reporter_recent_idx ON reports (reporter_id, created_at);
CREATE INDEX reports_open_idx ON reports (created_at) WHERE status = 'open';

-- What moderators did about a person: warnings and suspensions from discovery. The person's own
-- record (exported to them); who the moderator was is kept in audit_log, not here.
CREATE TABLE moderation_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('warn', 'suspend')),
  report_id bigint REFERENCES reports (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_actions_user_idx ON moderation_actions (user_id, created_at);
ALTER TABLE moderation_actions ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON moderation_actions FROM anon, authenticated;
GRANT ALL ON moderation_actions TO service_role;
-- The person may read what was decided about them (never who reported them).
GRANT SELECT ON moderation_actions TO authenticated;
CREATE POLICY moderation_actions_owner_select ON moderation_actions FOR SELECT TO authenticated
  USING (user_id = auth.uid());

-- The score job's inputs beside the score, so a moderator (and the person's export) can see why.
-- suspended_at: a moderator's suspension from discovery; the score is then 1 whatever the job finds.
ALTER TABLE safety_scores
  ADD COLUMN independent_reporters integer NOT NULL DEFAULT 0,
  ADD COLUMN blockers integer NOT NULL DEFAULT 0,
  ADD COLUMN suspended_at timestamptz;

-- Reports the reporter may read back (their own), as they may write them.
GRANT SELECT ON reports TO authenticated;
CREATE POLICY reports_owner_select ON reports FOR SELECT TO authenticated
  USING (reporter_id = auth.uid());

-- The weekly fairness report: per group, position-weighted exposure share / eligible-pool share,
-- and the disparate impact (smallest ratio / largest). Aggregates only: no person is named.
CREATE TABLE fairness_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  groups jsonb NOT NULL,
  disparate_impact real,
  impressions integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE fairness_reports ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON fairness_reports FROM anon, authenticated;
GRANT ALL ON fairness_reports TO service_role;

SELECT schedule_mesh_job('mesh-safety-scores', '50 3 * * *', $cmd$SELECT public.mesh_cron_dispatch('safety-scores')$cmd$);
SELECT schedule_mesh_job('mesh-fairness-report', '10 6 * * 1', $cmd$SELECT public.mesh_cron_dispatch('fairness-report')$cmd$);
