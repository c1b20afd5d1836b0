import { encryptionKeys } from "../../crypto/keys";
import type { Db } from "../../db/types";
import { requireSpotifyConfig } from "./config";
import { completeSpotifyAuth, startSpotifyAuth } from "./oauth";

/** Connecting Spotify over HTTP: the two halves of the OAuth flow with this server's config and keys. */

/** Where to send the person to connect Spotify. */
export async function connectSpotify(db: Db, userId: string): Promise<string> {
  return startSpotifyAuth(db, userId, requireSpotifyConfig(), encryptionKeys());
}

/** Spotify's redirect back: the sync is queued ("queued"), or the person declined ("declined"). */
export async function finishSpotifyConnect(
  db: Db,
  query: { state: string; code?: string; error?: string },
): Promise<"queued" | "declined"> {
  const config = requireSpotifyConfig();
  await completeSpotifyAuth(db, query, config, encryptionKeys());
  return query.error ? "declined" : "queued";
}
