-- The learning loop: impressions carry the features the ranker saw (events.payload.features) and the
-- request id; the ranker retrains every 30 minutes; a rollback retires the active version.

-- Set when `npm run job -- ranker-rollback` retires a version: it is never rolled back to again.
ALTER TABLE ranker_models ADD COLUMN rolled_back_at timestamptz;

-- Training joins each labelled pair to the impression before it (user, kind, target, time).
CREATE INDEX events_impression_pair_idx ON events (user_id, target_id, created_at DESC)
  WHERE kind = 'impression';

SELECT schedule_mesh_job('mesh-ranker-training', '*/30 * * * *', $cmd$SELECT public.mesh_cron_dispatch('ranker-training')$cmd$);
