import { normalizeTitle } from "../normalize";
import { MetadataHttpClient, type MetadataHttpOptions } from "./http";
import { cleanNames, cleanTags, yearOf } from "./tags";
import type { FetchedMetadata, MediaRecord, MetadataFetcher } from "./types";

export interface TmdbConfig {
  apiUrl: string;
  /** v3 API key, sent as the `api_key` query parameter. */
  apiKey?: string;
  /** v4 read access token, sent as a bearer token (preferred when both are set). */
  readToken?: string;
}

/** Enabled by TMDB_API_KEY or TMDB_READ_TOKEN; TMDB_API_URL points tests at a fake. */
export function tmdbConfig(env: Record<string, string | undefined> = process.env): TmdbConfig | null {
  const apiKey = env.TMDB_API_KEY?.trim() || undefined;
  const readToken = env.TMDB_READ_TOKEN?.trim() || undefined;
  if (!apiKey && !readToken) return null;
  return {
    apiUrl: (env.TMDB_API_URL?.trim() || "https://api.themoviedb.org/3").replace(/\/+$/, ""),
    apiKey,
    readToken,
  };
}

interface SearchPage {
  results: { id: number; title: string; original_title?: string; release_date?: string }[];
}
interface FindResult {
  movie_results: { id: number }[];
}
interface MovieDetails {
  id: number;
  imdb_id: string | null;
  /** "/63N9uy8nd9j7Eog2axPQ8lbr3Wj.jpg", or null when TMDb has no poster. */
  poster_path?: string | null;
  release_date?: string;
  genres?: { name: string }[];
  keywords?: { keywords?: { name: string }[] };
  credits?: { crew?: { job: string; name: string }[] };
}

/**
 * TMDb's image host and the 342 px wide poster rendition: sharp on the cards at 3x, a fraction of
 * the original's bytes. TMDb documents this host for https (its /configuration secure_base_url).
 */
export const TMDB_POSTER_BASE = "https://image.tmdb.org/t/p/w342";

/** The poster URL for a details response's poster_path; undefined when TMDb has none. */
function posterUrl(path: string | null | undefined): string | undefined {
  return path && /^\/[\w.-]+$/.test(path) ? `${TMDB_POSTER_BASE}${path}` : undefined;
}

/** Films from TMDb: found by IMDb id when the record has one, else by title and year. */
export class TmdbFetcher implements MetadataFetcher {
  readonly provider = "tmdb" as const;
  readonly mediaType = "film" as const;
  readonly http: MetadataHttpClient;

  constructor(
    private readonly config: TmdbConfig,
    options: MetadataHttpOptions = {},
  ) {
    this.http = new MetadataHttpClient("tmdb", options);
  }

  lookupKey(record: MediaRecord): string | null {
    if (record.id.startsWith("imdb:")) return record.id;
    return `${normalizeTitle(record.title)}|${record.year ?? ""}`;
  }

  private get<T>(path: string, query: Record<string, string>): Promise<T | null> {
    const url = new URL(`${this.config.apiUrl}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers: Record<string, string> = {};
    if (this.config.readToken) headers.authorization = `Bearer ${this.config.readToken}`;
    else if (this.config.apiKey) url.searchParams.set("api_key", this.config.apiKey);
    return this.http.getJson<T>(url.toString(), headers);
  }

  private async findMovieId(record: MediaRecord): Promise<number | null> {
    if (record.id.startsWith("imdb:")) {
      const found = await this.get<FindResult>(`/find/${record.id.slice(5)}`, { external_source: "imdb_id" });
      return found?.movie_results[0]?.id ?? null;
    }
    const query: Record<string, string> = { query: record.title, include_adult: "false" };
    if (record.year) query.year = String(record.year);
    const page = await this.get<SearchPage>("/search/movie", query);
    const want = normalizeTitle(record.title);
    // Search is fuzzy: only a result with the same title (and year, when we know it) is this film.
    const match = page?.results.find(
      (r) =>
        (normalizeTitle(r.title) === want || normalizeTitle(r.original_title ?? "") === want) &&
        (!record.year || yearOf(r.release_date) === record.year),
    );
    return match?.id ?? null;
  }

  async fetch(record: MediaRecord): Promise<FetchedMetadata | null> {
    const movieId = await this.findMovieId(record);
    if (movieId === null) return null;
    const movie = await this.get<MovieDetails>(`/movie/${movieId}`, { append_to_response: "keywords,credits" });
    if (!movie) return null;
    return {
      externalId: movie.imdb_id && /^tt\d{7,10}$/.test(movie.imdb_id) ? `imdb:${movie.imdb_id}` : undefined,
      year: yearOf(movie.release_date),
      genres: cleanTags((movie.genres ?? []).map((g) => g.name)),
      themes: cleanTags((movie.keywords?.keywords ?? []).map((k) => k.name)),
      creators: cleanNames((movie.credits?.crew ?? []).filter((c) => c.job === "Director").map((c) => c.name)),
      coverUrl: posterUrl(movie.poster_path),
    };
  }
}
