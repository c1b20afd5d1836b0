-- Core tables of the design. RLS is on for every table. Supabase grants anon/authenticated ALL on
-- new public tables by default, so each table first revokes everything and then grants back only
-- what the browser may touch; the policies then limit those grants to the owner's rows.

-- People --------------------------------------------------------------------------------------

CREATE TABLE profiles (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  display_name text NOT NULL DEFAULT '' CHECK (char_length(display_name) <= 80),
  bio text NOT NULL DEFAULT '' CHECK (char_length(bio) <= 500),
  birthday date,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  city text,
  hobbies text[] NOT NULL DEFAULT '{}',
  communities text[] NOT NULL DEFAULT '{}',
  -- Salted hashes of connector account ids: lets two imports of one account be recognised
  -- without storing the id itself.
  connector_id_hashes text[] NOT NULL DEFAULT '{}',
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'es')),
  discoverable boolean NOT NULL DEFAULT true,
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per user and signal category; a missing row means the category's default (on).
CREATE TABLE privacy_settings (
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  category text NOT NULL CHECK (category IN
    ('favorites', 'connectors', 'interests', 'behaviour', 'location', 'discoverable')),
  enabled boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, category)
);

CREATE TABLE blocks (
  blocker_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  blocked_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (blocker_id, blocked_id),
  CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_blocked_idx ON blocks (blocked_id);

CREATE TABLE reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reporter_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  target_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  reason text NOT NULL CHECK (reason IN ('harassment', 'spam', 'impersonation', 'other')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_target_idx ON reports (target_id);

-- Media -----------------------------------------------------------------------------------------

CREATE TABLE canonical_media (
  id text PRIMARY KEY CHECK (id ~ '^(imdb|mbid|isbn|local):'),
  media_type text NOT NULL CHECK (media_type IN ('film', 'book', 'music')),
  title text NOT NULL,
  year integer CHECK (year BETWEEN 1000 AND 3000),
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  embedding vector(768),
  fetched_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX canonical_media_title_trgm ON canonical_media USING gin (lower(title) gin_trgm_ops);

CREATE TABLE media_aliases (
  alias_norm text NOT NULL,
  media_id text NOT NULL REFERENCES canonical_media (id) ON DELETE CASCADE,
  PRIMARY KEY (alias_norm, media_id)
);
CREATE INDEX media_aliases_media_idx ON media_aliases (media_id);
CREATE INDEX media_aliases_trgm ON media_aliases USING gin (alias_norm gin_trgm_ops);

CREATE TABLE favorite_items (
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  media_id text NOT NULL REFERENCES canonical_media (id) ON DELETE CASCADE,
  source text NOT NULL CHECK (source IN ('spotify', 'letterboxd', 'goodreads', 'manual', 'demo')),
  rating numeric(2, 1) CHECK (rating BETWEEN 0.5 AND 5 AND rating * 2 = floor(rating * 2)),
  liked boolean NOT NULL DEFAULT false,
  play_count integer NOT NULL DEFAULT 1 CHECK (play_count >= 0),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, media_id, source)
);
CREATE INDEX favorite_items_media_idx ON favorite_items (media_id);

CREATE TABLE connector_accounts (
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  service text NOT NULL CHECK (service IN ('spotify', 'letterboxd', 'goodreads')),
  -- AES-256-GCM ciphertext of the token set; never readable by the browser (see grants below).
  tokens_encrypted text,
  status text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'queued', 'syncing', 'failed')),
  status_reason text,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  sync_cursor jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_synced_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, service)
);

-- Computed taste (server-only: reached through SECURITY DEFINER functions, never granted) ------

CREATE TABLE user_taste_vectors (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  taste vector(256) NOT NULL,
  model_version text NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_embeddings (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  embedding vector(256) NOT NULL,
  model_version text NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_traits (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  traits jsonb NOT NULL CHECK (octet_length(traits::text) <= 2048),
  source_hash text NOT NULL,
  provider text NOT NULL DEFAULT 'rules',
  computed_at timestamptz NOT NULL DEFAULT now()
);

-- Signals ---------------------------------------------------------------------------------------

CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('impression', 'dwell', 'open_profile', 'join_room', 'search')),
  target_id text,
  value double precision,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_user_time_idx ON events (user_id, created_at DESC);

CREATE TABLE feedback (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  target_user_id uuid REFERENCES auth.users (id) ON DELETE CASCADE,
  target_id text,
  action text NOT NULL CHECK (action IN
    ('swipe_left', 'swipe_right', 'click', 'connect_request', 'connect_accept')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_user_time_idx ON feedback (user_id, created_at DESC);
CREATE INDEX feedback_target_idx ON feedback (target_user_id);

-- Operations ------------------------------------------------------------------------------------

CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 5,
  run_after timestamptz NOT NULL DEFAULT now(),
  locked_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_ready_idx ON jobs (run_after) WHERE status = 'queued';

CREATE TABLE batch_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job text NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  progress jsonb NOT NULL DEFAULT '{}'::jsonb,
  error text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- Who did what to whose data; ids only, never personal content.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id uuid,
  subject_id uuid,
  action text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Row-Level Security ------------------------------------------------------------------------------

ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE privacy_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE blocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE canonical_media ENABLE ROW LEVEL SECURITY;
ALTER TABLE media_aliases ENABLE ROW LEVEL SECURITY;
ALTER TABLE favorite_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE connector_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_taste_vectors ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_embeddings ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_traits ENABLE ROW LEVEL SECURITY;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE batch_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON profiles, privacy_settings, blocks, reports, canonical_media, media_aliases,
  favorite_items, connector_accounts, user_taste_vectors, user_embeddings, user_traits, events,
  feedback, jobs, batch_runs, audit_log FROM anon, authenticated;
GRANT ALL ON profiles, privacy_settings, blocks, reports, canonical_media, media_aliases,
  favorite_items, connector_accounts, user_taste_vectors, user_embeddings, user_traits, events,
  feedback, jobs, batch_runs, audit_log TO service_role;

-- Own profile: read and edit (not create or delete: sign-up and account deletion do that).
GRANT SELECT, UPDATE ON profiles TO authenticated;
CREATE POLICY profiles_owner_select ON profiles FOR SELECT TO authenticated
  USING (user_id = auth.uid());
CREATE POLICY profiles_owner_update ON profiles FOR UPDATE TO authenticated
  USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid());

GRANT SELECT, INSERT, UPDATE, DELETE ON privacy_settings, favorite_items, blocks TO authenticated;
CREATE POLICY privacy_owner_all ON privacy_settings FOR ALL TO authenticated
  USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid());
CREATE POLICY favorites_owner_all ON favorite_items FOR ALL TO authenticated
  USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid());
CREATE POLICY blocks_owner_all ON blocks FOR ALL TO authenticated
  USING (blocker_id = auth.uid()) WITH CHECK (blocker_id = auth.uid());

-- Reports are write-only for the reporter: the target must never learn who reported them.
GRANT INSERT ON reports TO authenticated;
CREATE POLICY reports_owner_insert ON reports FOR INSERT TO authenticated
  WITH CHECK (reporter_id = auth.uid());

-- Connector status is visible to its owner; the token column is not granted at all.
GRANT SELECT (user_id, service, status, status_reason, counts, last_synced_at, created_at)
  ON connector_accounts TO authenticated;
CREATE POLICY connectors_owner_select ON connector_accounts FOR SELECT TO authenticated
  USING (user_id = auth.uid());

-- Own behavioural signals are readable (data export) but written only by the server.
GRANT SELECT ON events, feedback TO authenticated;
CREATE POLICY events_owner_select ON events FOR SELECT TO authenticated
  USING (user_id = auth.uid());
CREATE POLICY feedback_owner_select ON feedback FOR SELECT TO authenticated
  USING (user_id = auth.uid());

-- The media catalogue is public knowledge (titles, metadata), readable by anyone.
GRANT SELECT ON canonical_media, media_aliases TO anon, authenticated;
CREATE POLICY media_public_select ON canonical_media FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY aliases_public_select ON media_aliases FOR SELECT TO anon, authenticated USING (true);

-- user_taste_vectors, user_embeddings, user_traits, jobs, batch_runs, audit_log: no grants and no
-- policies for anon/authenticated, so RLS denies every row.

-- Every auth user gets a profile, whether Supabase Auth or our own tooling created the user.
CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  INSERT INTO public.profiles (user_id, display_name)
  VALUES (NEW.id, coalesce(NEW.raw_user_meta_data ->> 'display_name', ''))
  ON CONFLICT (user_id) DO NOTHING;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.handle_new_user() FROM PUBLIC, anon, authenticated;

CREATE TRIGGER on_auth_user_created
  AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();
