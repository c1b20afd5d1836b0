import { z } from "zod";
import { spotifyConfig } from "../connectors/spotify/config";
import { syncSpotifyUser } from "../connectors/spotify/sync";
import { encryptionKeys } from "../crypto/keys";
import type { Db } from "../db/types";
import { propagatePrivacy } from "../privacy/propagate";
import type { JobContext } from "./context";
import { tasteJobHandlers } from "./handlers";
import type { JobHandler } from "./worker";

const userPayload = z.object({ userId: z.uuid() });
const syncPayload = z.object({ userId: z.uuid(), service: z.literal("spotify") });

/** Every queue kind the workers (in-process, cron route, command line) handle. */
export function allJobHandlers(ctx: JobContext, options: { batchBudgetMs?: number } = {}): Record<string, JobHandler> {
  return {
    ...tasteJobHandlers(ctx, options),
    "connector-sync": async (db: Db, job) => {
      const { userId } = syncPayload.parse(job.payload);
      const config = spotifyConfig();
      if (!config) throw new Error("Spotify is not configured (SPOTIFY_CLIENT_ID): the sync cannot run");
      await syncSpotifyUser(db, userId, config, encryptionKeys());
    },
    "privacy-propagation": async (db: Db, job) => {
      const { userId } = userPayload.parse(job.payload);
      await db.transaction((tx) => propagatePrivacy(tx, ctx, userId));
    },
  };
}
