-- Home and category feeds of live streams (issue 23): the stage-2 ranker's versions, and the
-- indexes stage 1 reads. The stage-1 collaborative model lives in item_models / item_neighbours
-- under scenario 'streams' (items are creators); impressions and watches are events.
--
-- * stream_ranker_models: a pairwise logistic ranker's weights (one per feature, by name), trained
--   from watch time on logged impressions; the active row serves, none active means the default
--   weights in lib/streams/feed/ranker.ts. No personal data.
CREATE TABLE stream_ranker_models (
  version text PRIMARY KEY,
  weights jsonb NOT NULL,
  pairs integer NOT NULL CHECK (pairs >= 0),
  metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  active boolean NOT NULL DEFAULT false,
  trained_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX stream_ranker_models_active_idx ON stream_ranker_models ((true)) WHERE active;

-- Trending: the most watched live streams in a category, and overall.
CREATE INDEX streams_live_category_viewers_idx ON streams (category, viewer_count DESC) WHERE ended_at IS NULL;
CREATE INDEX streams_live_viewers_idx ON streams (viewer_count DESC) WHERE ended_at IS NULL;
-- Live streams of given creators (followed, watched, similar).
CREATE INDEX streams_live_creator_idx ON streams (creator_id) WHERE ended_at IS NULL;

ALTER TABLE stream_ranker_models ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON stream_ranker_models FROM anon, authenticated;
GRANT ALL ON stream_ranker_models TO service_role;

-- The daily batch (the 'streams' item model, then the feed ranker), as the other batches are scheduled.
SELECT schedule_mesh_job('mesh-stream-feeds', '30 3 * * *',
  $cmd$SELECT public.mesh_cron_dispatch('stream-feeds')$cmd$);
