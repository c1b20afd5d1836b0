import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { currentMediaId } from "../media/resolve";
import type { MediaType } from "../media/types";
import { queueUserReembed } from "../jobs/enqueue";
import { resolveAndWrite, writeFavorites } from "./save";
import type { FavoriteDraft } from "./types";

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
  const draft: FavoriteDraft = {
    candidate:
      "mediaId" in input
        ? { mediaType: "film", title: input.mediaId }
        : { mediaType: input.mediaType, title: input.title, year: input.year ?? null },
    rating: input.rating ?? null,
    liked: input.liked ?? false,
    playCount: 1,
    addedAt: new Date(),
    externalUri: null,
  };
  if ("mediaId" in input) {
    const current = await currentMediaId(db, input.mediaId);
    if (!current) throw new HttpError(404, "media_not_found", "mediaId: no such title in the catalogue", "mediaId");
    draft.mediaId = current;
  }
  return resolveAndWrite(db, [draft], async (tx, favorites) => {
    const [row] = favorites.rows;
    const existing = await tx.query<{ added_at: Date }>(
      `SELECT added_at FROM favorite_items WHERE user_id = $1 AND media_id = $2 AND source = 'manual'`,
      [userId, row.media_id],
    );
    // An edit keeps when the title was first added.
    if (existing[0]) row.added_at = new Date(existing[0].added_at).toISOString();
    await writeFavorites(tx, userId, "manual", favorites);
    await queueUserReembed(tx, userId);
    return { mediaId: row.media_id, created: existing.length === 0 };
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
