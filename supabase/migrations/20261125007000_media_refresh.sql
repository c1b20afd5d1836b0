-- Metadata refresh (issue #3): titles never fetched or fetched over 30 days ago are asked of the
-- enabled services (TMDb, MusicBrainz, Open Library) nightly, before the title embeddings run
-- (02:10) so new genres and themes are embedded the same night. Offline the job does nothing.
SELECT schedule_mesh_job('mesh-media-refresh', '30 1 * * *', $cmd$SELECT public.mesh_cron_dispatch('media-refresh')$cmd$);
