-- The `behaviour` privacy switch (issue 16). From the moment it is off, nothing behavioural is
-- stored about the person, whoever writes it (impressions from the slate statements today, dwell
-- and the rest from the events API later), and what they still do stops being a training label.
-- The rule lives on the tables so that no writer can forget it.

-- Which events are behaviour: all but the records of the privacy switches themselves (those are
-- the person's own choices, kept for the audit trail and the export). Plain SQL, so it inlines.
CREATE FUNCTION public.behavioural_event(p_kind text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$ SELECT p_kind NOT IN ('signal_opt_out', 'signal_opt_in') $$;
REVOKE ALL ON FUNCTION public.behavioural_event(text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.behavioural_event(text) TO service_role;

CREATE FUNCTION public.behaviour_off(p_user uuid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public
AS $$
  SELECT EXISTS (SELECT 1 FROM privacy_settings s
                 WHERE s.user_id = p_user AND s.category = 'behaviour' AND NOT s.enabled)
$$;
REVOKE ALL ON FUNCTION public.behaviour_off(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.behaviour_off(uuid) TO service_role;

-- A behavioural event of someone with behaviour off is not stored (the insert skips the row;
-- RETURNING shows no row, so a writer can tell).
CREATE FUNCTION public.events_respect_behaviour_switch() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  IF public.behavioural_event(NEW.kind) AND public.behaviour_off(NEW.user_id) THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.events_respect_behaviour_switch() FROM PUBLIC, anon, authenticated;
CREATE TRIGGER events_respect_behaviour_switch BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION public.events_respect_behaviour_switch();

-- Feedback: `learnable` says whether a row may ever be a training label. Explicit actions (pass,
-- connect, accept, less like this...) are stored whatever the switch, because the exclusions read
-- them; made while behaviour is off, they are never learnable, even after it is switched back on.
-- A click is behaviour, not a statement: with the switch off it is not stored at all.
ALTER TABLE feedback ADD COLUMN learnable boolean NOT NULL DEFAULT true;

CREATE FUNCTION public.feedback_respect_behaviour_switch() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  IF public.behaviour_off(NEW.user_id) THEN
    IF NEW.action = 'click' THEN
      RETURN NULL;
    END IF;
    NEW.learnable := false;
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.feedback_respect_behaviour_switch() FROM PUBLIC, anon, authenticated;
CREATE TRIGGER feedback_respect_behaviour_switch BEFORE INSERT ON feedback
  FOR EACH ROW EXECUTE FUNCTION public.feedback_respect_behaviour_switch();
