// Edge Function: syncs one user's Spotify library (queued after they connect, and nightly).
import { spotifyConfig } from "../../../lib/connectors/spotify/config.ts";
import { syncSpotifyUser } from "../../../lib/connectors/spotify/sync.ts";
import { parseKeyRing } from "../../../lib/crypto/secret-box.ts";
import { HttpError } from "../../../lib/http/errors.ts";
import { userFunction } from "../_shared/run.ts";

export const handler = userFunction(async (db, userId) => {
  const config = spotifyConfig(Deno.env.toObject());
  if (!config) throw new HttpError(503, "not_configured", "Spotify is not configured (SPOTIFY_CLIENT_ID)");
  const keys = Deno.env.get("MESH_ENCRYPTION_KEYS");
  if (!keys) throw new HttpError(503, "not_configured", "MESH_ENCRYPTION_KEYS is not set");
  const result = await syncSpotifyUser(
    db,
    userId,
    config,
    parseKeyRing(keys, Deno.env.get("MESH_ENCRYPTION_KEY_ID") || undefined),
  );
  // null: the person switched connectors off, so nothing was asked of Spotify or written.
  return result ?? { synced: false, reason: "connectors switched off" };
});

if (import.meta.main) Deno.serve(handler);
