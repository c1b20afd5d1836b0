import { z } from "zod";
import { encryptionKeys } from "../../crypto/keys";
import type { Db } from "../../db/types";
import type { JobHandler } from "../../jobs/worker";
import { spotifyConfig } from "./config";
import { syncSpotifyUser } from "./sync";

const syncPayload = z.object({ userId: z.uuid(), service: z.literal("spotify") });

/** The queue's `connector-sync` jobs: one person's Spotify sync. */
export const connectorSyncHandler: JobHandler = async (db: Db, job) => {
  const { userId } = syncPayload.parse(job.payload);
  const config = spotifyConfig();
  if (!config) throw new Error("Spotify is not configured (SPOTIFY_CLIENT_ID): the sync cannot run");
  await syncSpotifyUser(db, userId, config, encryptionKeys());
};
