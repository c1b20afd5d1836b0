-- Live rooms (issue 24): rooms people open and join, who is inside, who was invited, and each
-- room's taste: the running mean of its present attendees' taste vectors.
--
-- The taste is kept as a sum and a count (room_tastes): cosine similarity does not change with
-- the vector's length, so the sum ranks exactly as the mean would, and pgvector adds and subtracts
-- vectors but cannot divide one by a number. Each attendance remembers the vector it brought
-- (room_attendees.taste), so a leave subtracts exactly what the join added, even if the person's
-- taste vector changed meanwhile. Only people who keep `favorites` and `discoverable` on bring
-- one: the same hidden-people rule discovery uses (discovery_hidden('favorites')).
--
-- The sum is never recomputed from scratch. A row trigger on room_attendees decides what the row
-- brings (BEFORE) and applies the difference to its room (AFTER); whatever changes what a present
-- person brings (their taste vector written or deleted, a switch turned off or on) touches their
-- present rows and the same trigger moves the sum.

CREATE TABLE rooms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  host_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
  tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 10),
  language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es')),
  visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private')),
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE INDEX rooms_live_idx ON rooms (opened_at DESC) WHERE closed_at IS NULL;
CREATE INDEX rooms_host_idx ON rooms (host_id);

-- Server-only: a room's taste is everyone's inside it, so it is in nobody's export.
CREATE TABLE room_tastes (
  room_id uuid PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
  taste_sum vector(256),
  taste_count integer NOT NULL DEFAULT 0 CHECK (taste_count >= 0),
  attendees integer NOT NULL DEFAULT 0 CHECK (attendees >= 0)
);

CREATE TABLE room_attendees (
  room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  joined_at timestamptz NOT NULL DEFAULT now(),
  left_at timestamptz,
  -- The taste vector this attendance adds to the room's sum (null: none, or not present).
  taste vector(256),
  PRIMARY KEY (room_id, user_id)
);
-- A person's attendances (who is inside, connections inside) and recent joins (who is active).
CREATE INDEX room_attendees_user_idx ON room_attendees (user_id, joined_at DESC);
CREATE INDEX room_attendees_joined_idx ON room_attendees (joined_at);

CREATE TABLE room_invitations (
  room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  invited_by uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_invitations_user_idx ON room_invitations (user_id);

-- Who is active: people whose events arrived lately or who joined a room lately (people to invite).
CREATE INDEX behaviour_recent_updated_idx ON behaviour_recent (updated_at);

ALTER TABLE rooms ENABLE ROW LEVEL SECURITY;
ALTER TABLE room_tastes ENABLE ROW LEVEL SECURITY;
ALTER TABLE room_attendees ENABLE ROW LEVEL SECURITY;
ALTER TABLE room_invitations ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON rooms, room_tastes, room_attendees, room_invitations FROM anon, authenticated;
GRANT ALL ON rooms, room_tastes, room_attendees, room_invitations TO service_role;
-- Own rows are readable (data export); everything is written by the server.
GRANT SELECT ON rooms, room_attendees, room_invitations TO authenticated;
CREATE POLICY rooms_host_select ON rooms FOR SELECT TO authenticated USING (host_id = auth.uid());
CREATE POLICY room_attendees_owner_select ON room_attendees FOR SELECT TO authenticated USING (user_id = auth.uid());
CREATE POLICY room_invitations_owner_select ON room_invitations FOR SELECT TO authenticated
  USING (user_id = auth.uid());

CREATE FUNCTION public.rooms_open_taste() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  INSERT INTO room_tastes (room_id) VALUES (NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER rooms_open_taste AFTER INSERT ON rooms FOR EACH ROW EXECUTE FUNCTION public.rooms_open_taste();

-- What a row brings: the person's taste vector while present and not hidden, else nothing.
CREATE FUNCTION public.room_attendee_taste() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  IF NEW.left_at IS NULL AND NOT EXISTS (SELECT 1 FROM discovery_hidden('favorites') h WHERE h.user_id = NEW.user_id)
  THEN
    NEW.taste := (SELECT t.taste FROM user_taste_vectors t WHERE t.user_id = NEW.user_id);
  ELSE
    NEW.taste := NULL;
  END IF;
  RETURN NEW;
END
$$;

-- Moves the room's sum and counts by what the row's change added and removed.
CREATE FUNCTION public.room_attendee_sum() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
  old_taste vector := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.taste END;
  new_taste vector := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.taste END;
  was_in integer := CASE WHEN TG_OP <> 'INSERT' AND OLD.left_at IS NULL THEN 1 ELSE 0 END;
  is_in integer := CASE WHEN TG_OP <> 'DELETE' AND NEW.left_at IS NULL THEN 1 ELSE 0 END;
  room uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.room_id ELSE NEW.room_id END;
BEGIN
  IF old_taste IS NOT DISTINCT FROM new_taste AND was_in = is_in THEN
    RETURN NULL;
  END IF;
  UPDATE room_tastes r SET
    taste_count = r.taste_count - (old_taste IS NOT NULL)::int + (new_taste IS NOT NULL)::int,
    taste_sum = CASE
      WHEN r.taste_count - (old_taste IS NOT NULL)::int + (new_taste IS NOT NULL)::int = 0 THEN NULL
      ELSE coalesce(r.taste_sum, array_fill(0, ARRAY[256])::vector)
        - coalesce(old_taste, array_fill(0, ARRAY[256])::vector)
        + coalesce(new_taste, array_fill(0, ARRAY[256])::vector)
    END,
    attendees = r.attendees - was_in + is_in
  WHERE r.room_id = room;
  RETURN NULL;
END
$$;

CREATE TRIGGER room_attendees_taste BEFORE INSERT OR UPDATE ON room_attendees
  FOR EACH ROW EXECUTE FUNCTION public.room_attendee_taste();
CREATE TRIGGER room_attendees_sum AFTER INSERT OR UPDATE OR DELETE ON room_attendees
  FOR EACH ROW EXECUTE FUNCTION public.room_attendee_sum();

-- Re-decides what a person's present attendances bring (the BEFORE trigger does the deciding).
CREATE FUNCTION public.room_attendances_refresh() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
  who uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END;
BEGIN
  UPDATE room_attendees SET left_at = NULL WHERE user_id = who AND left_at IS NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER privacy_settings_rooms AFTER INSERT OR UPDATE OF enabled OR DELETE ON privacy_settings
  FOR EACH ROW EXECUTE FUNCTION public.room_attendances_refresh();

-- The taste-vector bulk build replaces user_taste_vectors with a new table (lib/taste/bulk-build.ts),
-- which has no triggers: the swap calls this to put the trigger on the new table and bring the
-- present attendances up to the new vectors (live rooms are few; this is not per user).
CREATE FUNCTION public.rooms_follow_taste_vectors() RETURNS void
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  DROP TRIGGER IF EXISTS user_taste_vectors_rooms ON user_taste_vectors;
  CREATE TRIGGER user_taste_vectors_rooms AFTER INSERT OR UPDATE OF taste OR DELETE ON user_taste_vectors
    FOR EACH ROW EXECUTE FUNCTION public.room_attendances_refresh();
  UPDATE room_attendees SET left_at = NULL WHERE left_at IS NULL;
END
$$;
SELECT public.rooms_follow_taste_vectors();

REVOKE ALL ON FUNCTION public.rooms_open_taste(), public.room_attendee_taste(), public.room_attendee_sum(),
  public.room_attendances_refresh(), public.rooms_follow_taste_vectors() FROM PUBLIC, anon, authenticated;
