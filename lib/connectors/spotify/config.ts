/** Spotify endpoints and app credentials; the URLs are overridable so tests use a fake on 127.0.0.1. */
export interface SpotifyConfig {
  clientId: string;
  redirectUri: string;
  accountsUrl: string;
  apiUrl: string;
}

/** Read-only scopes: top items, saved tracks, followed artists. */
export const SPOTIFY_SCOPES = ["user-top-read", "user-library-read", "user-follow-read"];

export function spotifyConfig(env: Record<string, string | undefined> = process.env): SpotifyConfig | null {
  const clientId = env.SPOTIFY_CLIENT_ID?.trim();
  if (!clientId) return null;
  return {
    clientId,
    redirectUri: env.SPOTIFY_REDIRECT_URI?.trim() || "http://localhost:3000/api/v2/favorites/import/spotify/callback",
    accountsUrl: (env.SPOTIFY_ACCOUNTS_URL?.trim() || "https://accounts.spotify.com").replace(/\/+$/, ""),
    apiUrl: (env.SPOTIFY_API_URL?.trim() || "https://api.spotify.com").replace(/\/+$/, ""),
  };
}

export class SpotifyNotConfiguredError extends Error {
  constructor() {
    super("Spotify is not configured on this server (SPOTIFY_CLIENT_ID)");
    this.name = "SpotifyNotConfiguredError";
  }
}

/** The configuration, or SpotifyNotConfiguredError (503 over HTTP) when there is no Spotify app. */
export function requireSpotifyConfig(env: Record<string, string | undefined> = process.env): SpotifyConfig {
  const config = spotifyConfig(env);
  if (!config) throw new SpotifyNotConfiguredError();
  return config;
}
