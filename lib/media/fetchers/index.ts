import { MusicBrainzFetcher, musicBrainzConfig } from "./musicbrainz";
import type { MetadataHttpOptions } from "./http";
import { OpenLibraryFetcher, openLibraryConfig } from "./openlibrary";
import { TmdbFetcher, tmdbConfig } from "./tmdb";
import type { MetadataFetcher } from "./types";

/** The variables that switch a metadata service on; named in "nothing to do" messages. */
export const METADATA_FETCHER_VARIABLES = [
  "TMDB_API_KEY / TMDB_READ_TOKEN",
  "MUSICBRAINZ_ENABLED=1",
  "OPENLIBRARY_ENABLED=1",
];

/** The services the environment enables; none offline, where titles keep their import's metadata. */
export function metadataFetchersFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: MetadataHttpOptions = {},
): MetadataFetcher[] {
  const fetchers: MetadataFetcher[] = [];
  const tmdb = tmdbConfig(env);
  if (tmdb) fetchers.push(new TmdbFetcher(tmdb, options));
  const musicBrainz = musicBrainzConfig(env);
  if (musicBrainz) fetchers.push(new MusicBrainzFetcher(musicBrainz, options));
  const openLibrary = openLibraryConfig(env);
  if (openLibrary) fetchers.push(new OpenLibraryFetcher(openLibrary, options));
  return fetchers;
}
