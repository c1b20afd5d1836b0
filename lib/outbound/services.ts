/** The external services we call, each with its own breaker and per-request timeout. */
export type ServiceId =
  "tmdb" | "musicbrainz" | "openlibrary" | "spotify-api" | "spotify-accounts" | "embeddings" | "llm";

export interface ServiceSettings {
  /** Display name in errors and logs. */
  name: string;
  /** One request (headers and body) is abandoned after this long. */
  timeoutMs: number;
  /** Consecutive failures (timeouts, network errors, 5xx, 429) that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker fails fast before it lets one trial call through (half-open). */
  halfOpenAfterMs: number;
}

/** The defaults, documented in docs/SCALING.md ("External services"). */
export const SERVICE_SETTINGS: Record<ServiceId, ServiceSettings> = {
  tmdb: { name: "TMDb", timeoutMs: 10_000, failureThreshold: 5, halfOpenAfterMs: 60_000 },
  musicbrainz: { name: "MusicBrainz", timeoutMs: 10_000, failureThreshold: 5, halfOpenAfterMs: 60_000 },
  openlibrary: { name: "Open Library", timeoutMs: 10_000, failureThreshold: 5, halfOpenAfterMs: 60_000 },
  "spotify-api": { name: "Spotify", timeoutMs: 10_000, failureThreshold: 5, halfOpenAfterMs: 60_000 },
  "spotify-accounts": { name: "Spotify accounts", timeoutMs: 5_000, failureThreshold: 3, halfOpenAfterMs: 60_000 },
  embeddings: { name: "embeddings API", timeoutMs: 30_000, failureThreshold: 5, halfOpenAfterMs: 60_000 },
  llm: { name: "traits LLM", timeoutMs: 30_000, failureThreshold: 5, halfOpenAfterMs: 60_000 },
};
