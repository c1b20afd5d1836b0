-- Favorites and the Canonical Media DB (issue #3): links back to the source, merges of local ids
-- into external ids, the metadata fetchers' miss cache, and the prefix index auto-complete uses.

-- Where a favorite came from in its source (a Letterboxd film URI, a Goodreads book page), so the
-- product can link back; one row per (user, media, source) already exists.
ALTER TABLE favorite_items ADD COLUMN external_uri text CHECK (char_length(external_uri) <= 500);
ALTER TABLE favorite_items ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX favorite_items_user_added_idx ON favorite_items (user_id, added_at DESC, media_id);

-- A canonical id that was merged into another (a local:… id once an external id is known, or a
-- second ISBN of the same work). Old ids keep resolving, so links and clients never break.
CREATE TABLE media_redirects (
  from_id text PRIMARY KEY CHECK (from_id ~ '^(imdb|mbid|isbn|local):'),
  to_id text NOT NULL REFERENCES canonical_media (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_redirects_to_idx ON media_redirects (to_id);

-- Lookups a metadata service answered with "not found": not asked again for 24 hours.
CREATE TABLE media_fetch_misses (
  provider text NOT NULL CHECK (provider IN ('tmdb', 'musicbrainz', 'openlibrary')),
  lookup_key text NOT NULL,
  missed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, lookup_key)
);

-- Auto-complete: prefix match on normalised aliases (the trigram index covers fuzzy and infix).
CREATE INDEX media_aliases_prefix_idx ON media_aliases (alias_norm text_pattern_ops);
-- Music recordings are merged on ISRC.
CREATE INDEX canonical_media_isrc_idx ON canonical_media ((metadata ->> 'isrc')) WHERE media_type = 'music';

ALTER TABLE media_redirects ENABLE ROW LEVEL SECURITY;
ALTER TABLE media_fetch_misses ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON media_redirects, media_fetch_misses FROM anon, authenticated;
GRANT ALL ON media_redirects, media_fetch_misses TO service_role;

-- Redirects are catalogue knowledge like canonical_media itself: public read. The miss cache is
-- server-only (no grants, so RLS denies every row).
GRANT SELECT ON media_redirects TO anon, authenticated;
CREATE POLICY media_redirects_public_select ON media_redirects FOR SELECT TO anon, authenticated USING (true);

-- The new favorite_items columns are covered by the table-level grants and owner-only policy.
