-- Signals (issue #20), second part: the aggregates the ranker reads beside the incremental
-- features.
--
-- behaviour_target_counts gains the dwell spent on each target, so "how long did the viewer look at
-- this person" is a primary-key read like the counts.
--
-- user_dwell_avg is each person's mean dwell per target type over the last 7 days of raw events:
-- the yardstick a dwell on one card is measured against (3 s is long for a fast scroller and short
-- for a slow reader). It is a materialised view refreshed every 5 minutes (pg_cron here, the
-- embedded schedule on PGlite: lib/runtime/embedded-schedule.ts), not a per-request aggregate.
-- People whose behaviour switch is off are left out at each refresh; serving ignores the view for
-- them at once (lib/discovery/viewer.ts). A materialised view cannot have row-level security, so
-- nobody but the service role may read it.

ALTER TABLE behaviour_target_counts ADD COLUMN dwell_ms bigint NOT NULL DEFAULT 0;

CREATE MATERIALIZED VIEW user_dwell_avg AS
SELECT e.user_id,
       e.target_type,
       avg(e.value)::float8 AS avg_dwell_ms,
       count(*)::int AS dwell_events,
       max(e.created_at) AS last_at
FROM events e
WHERE e.kind = 'dwell'
  AND e.user_id IS NOT NULL
  AND e.target_type IS NOT NULL
  AND e.value IS NOT NULL
  AND e.created_at > now() - interval '7 days'
  AND NOT public.behaviour_off(e.user_id)
GROUP BY e.user_id, e.target_type
WITH DATA;

-- REFRESH ... CONCURRENTLY needs a unique index; it keeps the view readable while it refreshes.
CREATE UNIQUE INDEX user_dwell_avg_pkey ON user_dwell_avg (user_id, target_type);

REVOKE ALL ON user_dwell_avg FROM PUBLIC, anon, authenticated;
GRANT SELECT ON user_dwell_avg TO service_role;

CREATE FUNCTION refresh_user_dwell_avg() RETURNS void
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  REFRESH MATERIALIZED VIEW CONCURRENTLY user_dwell_avg;
END $$;
REVOKE ALL ON FUNCTION public.refresh_user_dwell_avg() FROM PUBLIC, anon, authenticated;

SELECT schedule_mesh_job('mesh-user-dwell-avg', '*/5 * * * *', 'SELECT refresh_user_dwell_avg()');

-- The prior ranker gains the viewer's attention to a candidate (lib/discovery/ranker/model.ts holds
-- the same numbers). It becomes the active model only where the old prior still is: a trained
-- model stays active and learns the new feature's weight at its next training.
INSERT INTO ranker_models (version, kind, bias, weights, metrics, active, activated_at)
SELECT 'prior-v2', 'linear', 0,
       '{"tasteSimilarity": 0.3, "profileSimilarity": 0.14, "sharedFavorites": 0.2, "traitOverlap": 0.1,
         "sharedHobbies": 0.05, "mutualConnections": 0.1, "proximity": 0.04, "recentActivity": 0.02,
         "acceptanceRate": 0.01, "attention": 0.04}'::jsonb,
       '{"note": "hand-set prior with the viewer''s attention, used until feedback trains a model"}'::jsonb, false, NULL
WHERE NOT EXISTS (SELECT 1 FROM ranker_models WHERE version = 'prior-v2');
UPDATE ranker_models SET active = false WHERE version = 'prior-v1' AND active;
UPDATE ranker_models SET active = true, activated_at = now()
WHERE version = 'prior-v2' AND NOT EXISTS (SELECT 1 FROM ranker_models WHERE active);
