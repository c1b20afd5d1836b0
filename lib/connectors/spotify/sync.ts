import type { Db, Queryable } from "../../db/types";
import type { KeyRing } from "../../crypto/secret-box";
import { resolveAndWrite, writeFavorites } from "../../favorites/save";
import { queueUserReembed } from "../../jobs/enqueue";
import { log } from "../../log";
import { ExternalServiceError } from "../../outbound";
import { connectorsAllowed, settleConnectorStatus } from "../consent";
import { SpotifyClient, type SpotifyClientOptions } from "./client";
import type { SpotifyConfig } from "./config";
import { readSpotifyLibrary } from "./library";
import { openTokens, sealTokens } from "./oauth";
import { SpotifyRevokedError } from "./tokens";

export interface SpotifySyncResult {
  imported: number;
  matched: number;
  skipped: number;
  rows: number;
}

/** A sync that must not run: the account goes back to idle (not left "syncing"), nothing else. */
async function connectorsOff(db: Queryable, userId: string): Promise<null> {
  await settleConnectorStatus(db, userId);
  // Logged without the user id: it is personal data, and the job id already names the work.
  log.info("spotify sync skipped: the person switched connectors off");
  return null;
}

async function setStatus(db: Db, userId: string, status: string, reason: string | null): Promise<void> {
  await db.query("UPDATE connector_accounts SET status = $3, status_reason = $4 WHERE user_id = $1 AND service = $2", [
    userId,
    "spotify",
    status,
    reason,
  ]);
}

/**
 * Syncs one user's Spotify library into favorites: a delta after the first run (saved tracks
 * newer than the cursor; top lists in full). A revoked grant marks the connector failed with a
 * reason the status endpoint shows and drops the dead tokens; other failures are marked failed and
 * re-thrown so the job queue retries with back-off.
 *
 * With the `connectors` switch off nothing happens and null is returned: Spotify is not asked,
 * nothing is written. The switch is read again in the transaction that writes, so a sync that was
 * already talking to Spotify when the person switched off discards what it read.
 */
export async function syncSpotifyUser(
  db: Db,
  userId: string,
  config: SpotifyConfig,
  ring: KeyRing,
  clientOptions: SpotifyClientOptions = {},
): Promise<SpotifySyncResult | null> {
  if (!(await connectorsAllowed(db, userId))) return connectorsOff(db, userId);
  const [account] = await db.query<{ tokens_encrypted: string | null; sync_cursor: { savedSince?: string } }>(
    "SELECT tokens_encrypted, sync_cursor FROM connector_accounts WHERE user_id = $1 AND service = 'spotify'",
    [userId],
  );
  if (!account?.tokens_encrypted) throw new Error("Spotify is not connected for this user");
  await setStatus(db, userId, "syncing", null);
  try {
    const client = new SpotifyClient(config, await openTokens(ring, userId, account.tokens_encrypted), {
      ...clientOptions,
      onTokens: async (tokens) => {
        await db.query(
          "UPDATE connector_accounts SET tokens_encrypted = $2 WHERE user_id = $1 AND service = 'spotify'",
          [userId, await sealTokens(ring, userId, tokens)],
        );
      },
    });
    const library = await readSpotifyLibrary(client, account.sync_cursor?.savedSince ?? null);
    return await resolveAndWrite(db, library.parsed.drafts, async (tx, favorites) => {
      if (!(await connectorsAllowed(tx, userId))) return connectorsOff(tx, userId);
      const mediaIds = await writeFavorites(tx, userId, "spotify", favorites, { accumulate: true });
      const result = {
        imported: mediaIds.length,
        matched: favorites.matched,
        skipped: library.parsed.skipped,
        rows: library.parsed.rows,
      };
      await tx.query(
        `UPDATE connector_accounts SET status = 'idle', status_reason = NULL, counts = $2::text::jsonb,
           sync_cursor = $3::text::jsonb, last_synced_at = now()
         WHERE user_id = $1 AND service = 'spotify'`,
        [userId, JSON.stringify(result), JSON.stringify({ savedSince: library.newestSavedAt })],
      );
      if (mediaIds.length) await queueUserReembed(tx, userId);
      return result;
    });
  } catch (err) {
    if (err instanceof SpotifyRevokedError) {
      await db.query(
        `UPDATE connector_accounts SET status = 'failed', status_reason = $2, tokens_encrypted = NULL
         WHERE user_id = $1 AND service = 'spotify'`,
        [userId, err.message],
      );
    } else if (err instanceof ExternalServiceError) {
      // Spotify is down or slow, not the person's account: the queue brings the sync back later.
      await setStatus(db, userId, "queued", `Spotify is unavailable right now; the sync retries later`);
    } else {
      await setStatus(db, userId, "failed", `sync failed, will retry: ${(err as Error).message}`);
    }
    throw err;
  }
}
