-- Cover art for the discovery cards (issue #7): the URL of a title's cover, poster or album art,
-- where an import or a metadata service knows one (NULL otherwise; the card then shows the title
-- alone). Catalogue knowledge like the rest of canonical_media (public read through the existing
-- grants and policy). Only https: the pages load covers straight from the image host, and a
-- plain-http image would be mixed content on the HTTPS site (and javascript:/data: are not covers).
ALTER TABLE canonical_media ADD COLUMN IF NOT EXISTS cover_url text
  CHECK (cover_url ~ '^https://[^[:space:]]+$' AND char_length(cover_url) <= 2048);
