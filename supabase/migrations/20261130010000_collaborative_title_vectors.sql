-- Collaborative title vectors (issue 19): the taste model also learns each title's place from who
-- favorited what (a truncated SVD of the people x titles matrix), fitted in the taste batch.
-- A title's taste projection is its collaborative factors blended with its content projection.
ALTER TABLE taste_models
  ADD COLUMN collab_dims integer NOT NULL DEFAULT 0 CHECK (collab_dims >= 0),
  -- How many favorites in use the collaborative part was fitted on (the refit trigger).
  ADD COLUMN fitted_on_favorites bigint NOT NULL DEFAULT 0;

CREATE TABLE media_collab_factors (
  model_version text NOT NULL REFERENCES taste_models (version) ON DELETE CASCADE,
  media_id text NOT NULL REFERENCES canonical_media (id) ON DELETE CASCADE,
  factors real[] NOT NULL,
  PRIMARY KEY (model_version, media_id)
);
CREATE INDEX media_collab_factors_media_idx ON media_collab_factors (media_id);

ALTER TABLE media_collab_factors ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON media_collab_factors FROM anon, authenticated;
GRANT ALL ON media_collab_factors TO service_role;
