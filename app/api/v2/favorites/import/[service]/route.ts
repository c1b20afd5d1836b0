import { importService } from "@/api/favorites";
import { getDb } from "@/lib/db";
import { importExportFile } from "@/lib/connectors/import-file";
import { readUploadedFile } from "@/lib/connectors/upload";
import { handle, HttpError, json } from "@/lib/http/errors";
import { spotifyConfig } from "@/lib/connectors/spotify/config";
import { startSpotifyAuth } from "@/lib/connectors/spotify/oauth";
import { encryptionKeys } from "@/lib/crypto/keys";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

/**
 * POST /api/v2/favorites/import/:service — a Letterboxd or Goodreads export in the form field `file`;
 * for `spotify`, the URL to send the person to (OAuth with PKCE; the callback finishes it).
 */
export const POST = handle(async (request: Request, context: { params: Promise<{ service: string }> }) => {
  const viewer = await signedInViewer(request);
  const { service } = importService.parse(await context.params);
  if (service === "spotify") {
    const config = spotifyConfig();
    if (!config)
      throw new HttpError(503, "not_configured", "Spotify is not configured on this server (SPOTIFY_CLIENT_ID)");
    const authorizeUrl = await startSpotifyAuth(await getDb(), viewer.userId, config, encryptionKeys());
    return json({ service, authorizeUrl });
  }
  const file = await readUploadedFile(request);
  const counts = await importExportFile(await getDb(), viewer.userId, service, file);
  return json({ service, counts });
});
