-- Signals (issue #20): behavioural events from clients, stored partitioned by month, de-duplicated
-- by the client's event id, and turned into per-person features as they arrive.
--
-- events becomes a table partitioned by created_at (the server's receive time). A unique index on a
-- partitioned table must hold the partition key, so the client's event id cannot be unique there;
-- idempotency lives in event_receipts instead: (subject, event id) for as long as a retry is
-- plausible. The event's client time must lie within a day of the server's, so after a week a
-- retry would be refused anyway and its receipt can go. A retry that arrives in the next month
-- finds the receipt whatever partition the first copy went to.

ALTER TABLE events RENAME TO events_unpartitioned;
ALTER INDEX events_user_time_idx RENAME TO events_unpartitioned_user_time_idx;
ALTER TABLE events_unpartitioned RENAME CONSTRAINT events_kind_check TO events_unpartitioned_kind_check;

-- Identity columns on partitioned tables need PostgreSQL 17; a sequence works on 15 and PGlite.
CREATE SEQUENCE events_row_id_seq AS bigint;

CREATE TABLE events (
  id bigint NOT NULL DEFAULT nextval('events_row_id_seq'),
  user_id uuid REFERENCES auth.users (id) ON DELETE CASCADE,
  -- A shop visitor without an account: a client-generated id, merged into the person at sign-in.
  anon_id uuid,
  -- The client's id of the event (absent for the server's own: impressions, opt-outs).
  event_id uuid,
  kind text NOT NULL CHECK (kind IN (
    'impression', 'signal_opt_out', 'signal_opt_in',
    'view', 'dwell', 'scroll_pause', 'reaction', 'open_profile', 'click', 'add_to_cart', 'purchase',
    'search', 'search_result_click', 'join_room', 'watch')),
  target_type text CHECK (target_type IN ('person', 'room', 'product', 'stream')),
  target_id text,
  value double precision,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  client_time timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at),
  CHECK (user_id IS NOT NULL OR anon_id IS NOT NULL)
) PARTITION BY RANGE (created_at);
ALTER SEQUENCE events_row_id_seq OWNED BY events.id;
CREATE INDEX events_user_time_idx ON events (user_id, created_at DESC);
CREATE INDEX events_anon_time_idx ON events (anon_id, created_at DESC) WHERE anon_id IS NOT NULL;

-- Rows outside every month's partition land here rather than fail an insert.
CREATE TABLE events_default PARTITION OF events DEFAULT;

/**
 * Creates the monthly partitions from p_from's month for p_months months (idempotent), each with
 * row-level security on and no grants: partitions are read through events, whose policies apply.
 */
CREATE FUNCTION events_ensure_partitions(p_from date, p_months int) RETURNS int
LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
  m date := date_trunc('month', p_from)::date;
  made int := 0;
  name text;
BEGIN
  FOR i IN 0 .. p_months - 1 LOOP
    name := format('events_y%sm%s', to_char(m, 'YYYY'), to_char(m, 'MM'));
    IF to_regclass('public.' || name) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
                     name, m, (m + interval '1 month')::date);
      EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
      EXECUTE format('REVOKE ALL ON %I FROM anon, authenticated', name);
      EXECUTE format('GRANT ALL ON %I TO service_role', name);
      made := made + 1;
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
  RETURN made;
END $$;

/** Drops the monthly partitions that end on or before p_cutoff: raw events past retention. */
CREATE FUNCTION events_drop_partitions_before(p_cutoff date) RETURNS int
LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
  part record;
  dropped int := 0;
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'public.events'::regclass AND c.relname ~ '^events_y[0-9]{4}m[0-9]{2}$'
  LOOP
    IF (to_date(substr(part.relname, 9, 4) || substr(part.relname, 14, 2), 'YYYYMM') + interval '1 month')::date
       <= p_cutoff THEN
      EXECUTE format('DROP TABLE %I', part.relname);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  RETURN dropped;
END $$;

-- The last three months and the next three exist from the start.
SELECT events_ensure_partitions((now() - interval '3 months')::date, 7);

INSERT INTO events (id, user_id, kind, target_id, value, payload, created_at)
SELECT id, user_id, kind, target_id, value, payload, created_at FROM events_unpartitioned;
SELECT setval('events_row_id_seq', greatest((SELECT max(id) FROM events_unpartitioned), 1));
DROP TABLE events_unpartitioned;

-- The behaviour switch's trigger (20261129000200) went with the old table: the new one keeps the
-- rule, for every partition.
CREATE TRIGGER events_respect_behaviour_switch BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION public.events_respect_behaviour_switch();

CREATE TABLE event_receipts (
  -- 'u:' || user id, or 'a:' || anonymous id: each subject's ids are its own namespace.
  subject text NOT NULL,
  event_id uuid NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject, event_id)
);
CREATE INDEX event_receipts_received_idx ON event_receipts (received_at);

-- Per-minute event counts per subject: the ingestion cap, exact across server instances.
CREATE TABLE event_quota (
  subject text NOT NULL,
  minute timestamptz NOT NULL,
  n int NOT NULL,
  PRIMARY KEY (subject, minute)
);

-- Features maintained on ingestion, never recomputed per request.
CREATE TABLE behaviour_recent (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  -- The last ten actions, newest first: [{kind, targetType, targetId, at}].
  last_actions jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE behaviour_dwell_daily (
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  day date NOT NULL,
  dwell_ms double precision NOT NULL,
  n int NOT NULL,
  PRIMARY KEY (user_id, day)
);
CREATE TABLE behaviour_target_counts (
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  target_type text NOT NULL,
  target_id text NOT NULL,
  kind text NOT NULL,
  n int NOT NULL,
  last_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, target_type, target_id, kind)
);

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events_default ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_quota ENABLE ROW LEVEL SECURITY;
ALTER TABLE behaviour_recent ENABLE ROW LEVEL SECURITY;
ALTER TABLE behaviour_dwell_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE behaviour_target_counts ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON events, events_default, event_receipts, event_quota, behaviour_recent, behaviour_dwell_daily,
  behaviour_target_counts FROM anon, authenticated;
GRANT ALL ON events, events_default, event_receipts, event_quota, behaviour_recent, behaviour_dwell_daily,
  behaviour_target_counts TO service_role;
GRANT USAGE ON SEQUENCE events_row_id_seq TO service_role;

-- Own behavioural signals and features are readable (data export) but written only by the server.
GRANT SELECT ON events, behaviour_recent, behaviour_dwell_daily, behaviour_target_counts TO authenticated;
CREATE POLICY events_owner_select ON events FOR SELECT TO authenticated USING (user_id = auth.uid());
CREATE POLICY behaviour_recent_owner_select ON behaviour_recent FOR SELECT TO authenticated
  USING (user_id = auth.uid());
CREATE POLICY behaviour_dwell_owner_select ON behaviour_dwell_daily FOR SELECT TO authenticated
  USING (user_id = auth.uid());
CREATE POLICY behaviour_counts_owner_select ON behaviour_target_counts FOR SELECT TO authenticated
  USING (user_id = auth.uid());

/**
 * Daily upkeep: next months' partitions, raw events past retention, anonymous events past 30 days,
 * expired receipts and quotas.
 */
CREATE FUNCTION events_maintain(p_keep_days int DEFAULT 180) RETURNS void
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  PERFORM events_ensure_partitions(now()::date, 4);
  PERFORM events_drop_partitions_before((now() - make_interval(days => p_keep_days))::date);
  -- A visitor who never signed in within 30 days: their events go (lib/events/anonymous.ts).
  DELETE FROM events WHERE user_id IS NULL AND created_at < now() - interval '30 days';
  DELETE FROM event_receipts WHERE received_at < now() - interval '7 days';
  DELETE FROM event_quota WHERE minute < now() - interval '1 hour';
  DELETE FROM behaviour_dwell_daily WHERE day < (now() - interval '30 days')::date;
END $$;

SELECT schedule_mesh_job('mesh-events-maintain', '15 0 * * *', 'SELECT events_maintain()');

REVOKE ALL ON FUNCTION public.events_ensure_partitions(date, int) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.events_drop_partitions_before(date) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.events_maintain(int) FROM PUBLIC, anon, authenticated;
