import { spotifyCallbackQuery } from "@/api/spotify";
import { spotifyConfig } from "@/lib/connectors/spotify/config";
import { completeSpotifyAuth, OAuthStateError } from "@/lib/connectors/spotify/oauth";
import { SpotifyRevokedError } from "@/lib/connectors/spotify/tokens";
import { encryptionKeys } from "@/lib/crypto/keys";
import { getDb } from "@/lib/db";
import { handle, HttpError } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

/**
 * Spotify sends the person back here. The state (not a bearer token: this is a browser redirect)
 * names the user; on success the sync is queued and the person returns to their favorites page.
 */
export const GET = handle(async (request: Request) => {
  const config = spotifyConfig();
  if (!config)
    throw new HttpError(503, "not_configured", "Spotify is not configured on this server (SPOTIFY_CLIENT_ID)");
  const query = spotifyCallbackQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    await completeSpotifyAuth(await getDb(), query, config, encryptionKeys());
  } catch (err) {
    if (err instanceof OAuthStateError) throw new HttpError(400, "invalid_state", err.message, "state");
    if (err instanceof SpotifyRevokedError)
      throw new HttpError(400, "invalid_code", "Spotify refused the code: connect again", "code");
    throw err;
  }
  const outcome = query.error ? "declined" : "queued";
  return Response.redirect(new URL(`/favorites?spotify=${outcome}`, request.url), 303);
});
