-- Profiles people write themselves (issue 17): goals, an age band, and whether onboarding is done.
--
-- * goals: what someone is looking for, from a fixed list. Discovery matches on it (people looking
--   for dates are only ever matched with others who chose dates too; see lib/discovery/goals.ts).
-- * age_band: derived from a birthday the API reads and forgets. The birthday column goes: no
--   code reads it, and a band is all the product needs. Existing rows keep their band.
-- * onboarded_at: when the person finished or skipped /welcome (shown once after sign-up). People
--   who existed before the page did count as onboarded.
ALTER TABLE profiles
  ADD COLUMN goals text[] NOT NULL DEFAULT '{}'
    CHECK (goals <@ ARRAY['collaborators', 'friends', 'dates']::text[]),
  ADD COLUMN age_band text CHECK (age_band IN ('18-24', '25-34', '35-44', '45-54', '55-64', '65+')),
  ADD COLUMN onboarded_at timestamptz;

UPDATE profiles SET
  onboarded_at = created_at,
  age_band = CASE
    WHEN birthday IS NULL THEN NULL
    WHEN date_part('year', age(birthday)) < 18 THEN NULL
    WHEN date_part('year', age(birthday)) < 25 THEN '18-24'
    WHEN date_part('year', age(birthday)) < 35 THEN '25-34'
    WHEN date_part('year', age(birthday)) < 45 THEN '35-44'
    WHEN date_part('year', age(birthday)) < 55 THEN '45-54'
    WHEN date_part('year', age(birthday)) < 65 THEN '55-64'
    ELSE '65+' END;

ALTER TABLE profiles DROP COLUMN birthday;
