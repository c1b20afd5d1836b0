-- Each person's loved titles (favorites in use rated 4 or more, liked, or kept without a rating),
-- one array per person, written by the next-titles phase of the taste-vectors job
-- (lib/taste/next-titles.ts). Discovery's vote set reads them for a pool of 150 people by key
-- instead of aggregating their favorites and looking up every title's fans on each uncached slate
-- (lib/discovery/vote-set-stage.ts): that cost PostgreSQL 17 ms a slate at 100,000 people.
CREATE TABLE user_loved_titles (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  titles text[] NOT NULL,
  -- Each title's fans (item_popularity) as of the same run: the vote's tie-break, read with the titles.
  fans real[] NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE user_loved_titles ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON user_loved_titles FROM anon, authenticated;
GRANT ALL ON user_loved_titles TO service_role;
-- A person may read their own row (data export); the server writes.
GRANT SELECT ON user_loved_titles TO authenticated;
CREATE POLICY user_loved_titles_owner_select ON user_loved_titles FOR SELECT TO authenticated
  USING (user_id = auth.uid());
