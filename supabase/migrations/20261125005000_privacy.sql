-- Privacy (issue #6): opting a signal out or back in is itself an event (for the audit trail and
-- for consumers that must react), so the events table accepts those kinds.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN
  ('impression', 'dwell', 'open_profile', 'join_room', 'search', 'signal_opt_out', 'signal_opt_in'));

CREATE INDEX audit_log_subject_idx ON audit_log (subject_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);
