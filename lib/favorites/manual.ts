import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { currentMediaId, resolveMedia } from "../media/resolve";
import type { MediaType } from "../media/types";
import { queueUserReembed } from "../jobs/reembed-user";
import { upsertFavorites } from "./save";

export type ManualFavorite =
  | { mediaId: string; rating?: number | null; liked?: boolean }
  | { title: string; mediaType: MediaType; year?: number | null; rating?: number | null; liked?: boolean };

/**
 * Adds or edits the person's own entry for a title (source "manual"): by canonical id, or by
 * title + type (+ year), which finds the catalogue record or creates a local one.
 */
export async function saveManualFavorite(
  db: Db,
  userId: string,
  input: ManualFavorite,
): Promise<{ mediaId: string; created: boolean }> {
  return db.transaction(async (tx) => {
    let mediaId: string;
    if ("mediaId" in input) {
      const current = await currentMediaId(tx, input.mediaId);
      if (!current) throw new HttpError(404, "media_not_found", "mediaId: no such title in the catalogue", "mediaId");
      mediaId = current;
    } else {
      mediaId = (await resolveMedia(tx, { mediaType: input.mediaType, title: input.title, year: input.year ?? null }))
        .id;
    }
    const existing = await tx.query<{ added_at: Date }>(
      `SELECT added_at FROM favorite_items WHERE user_id = $1 AND media_id = $2 AND source = 'manual'`,
      [userId, mediaId],
    );
    await upsertFavorites(tx, userId, "manual", [
      {
        candidate: { mediaType: "film", title: mediaId },
        mediaId,
        rating: input.rating ?? null,
        liked: input.liked ?? false,
        playCount: 1,
        // An edit keeps when the title was first added.
        addedAt: existing[0] ? new Date(existing[0].added_at) : new Date(),
        externalUri: null,
      },
    ]);
    await queueUserReembed(tx, userId);
    return { mediaId, created: existing.length === 0 };
  });
}

/** Removes a title from the person's favorites, whatever sources it came from. */
export async function removeFavorite(db: Db, userId: string, mediaId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const id = (await currentMediaId(tx, mediaId)) ?? mediaId;
    const rows = await tx.query(`DELETE FROM favorite_items WHERE user_id = $1 AND media_id = $2 RETURNING source`, [
      userId,
      id,
    ]);
    if (!rows.length) throw new HttpError(404, "favorite_not_found", "mediaId: not among your favorites", "mediaId");
    await queueUserReembed(tx, userId);
    return rows.length;
  });
}
