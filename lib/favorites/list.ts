import { withClaims } from "../db/claims";
import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import type { MediaType } from "../media/types";
import type { FavoriteSource } from "./types";

export interface FavoriteItem {
  mediaId: string;
  title: string;
  mediaType: MediaType;
  year: number | null;
  rating: number | null;
  liked: boolean;
  sources: (FavoriteSource | "demo")[];
  addedAt: string;
}

interface Cursor {
  addedAt: string;
  mediaId: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.addedAt, c.mediaId])).toString("base64url");
}

function decodeCursor(raw: string): Cursor {
  try {
    const [addedAt, mediaId] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    if (typeof addedAt !== "string" || typeof mediaId !== "string" || Number.isNaN(Date.parse(addedAt))) throw 0;
    return { addedAt, mediaId };
  } catch {
    throw new HttpError(400, "invalid_input", "cursor: not a cursor this endpoint issued", "cursor");
  }
}

/**
 * The person's favorites, one item per title however many sources named it, newest first. The
 * rating shown is their own manual rating when they gave one, else the latest imported one. Read
 * as the user (RLS), so only their own rows can ever come back.
 */
export async function listFavorites(
  db: Db,
  userId: string,
  options: { limit: number; cursor?: string },
): Promise<{ items: FavoriteItem[]; nextCursor: string | null }> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await withClaims(db, { sub: userId, role: "authenticated" }, (tx) =>
    tx.query<{
      media_id: string;
      title: string;
      media_type: MediaType;
      year: number | null;
      rating: string | null;
      liked: boolean;
      sources: (FavoriteSource | "demo")[];
      added_at: Date | string;
      added_key: string;
    }>(
      `WITH mine AS (
         SELECT f.media_id, min(f.added_at) AS added_at, bool_or(f.liked) AS liked,
                array_agg(f.source ORDER BY f.source) AS sources,
                coalesce(max(f.rating) FILTER (WHERE f.source = 'manual'),
                         (array_agg(f.rating ORDER BY f.updated_at DESC) FILTER (WHERE f.rating IS NOT NULL))[1]) AS rating
         FROM favorite_items f WHERE f.user_id = $1 GROUP BY f.media_id)
       SELECT mine.*, mine.added_at::text AS added_key, m.title, m.media_type, m.year
       FROM mine JOIN canonical_media m ON m.id = mine.media_id
       WHERE $2::timestamptz IS NULL OR (mine.added_at, mine.media_id) < ($2::timestamptz, $3::text)
       ORDER BY mine.added_at DESC, mine.media_id DESC
       LIMIT $4`,
      [userId, after?.addedAt ?? null, after?.mediaId ?? "", options.limit + 1],
    ),
  );
  const page = rows.slice(0, options.limit);
  const items: FavoriteItem[] = page.map((r) => ({
    mediaId: r.media_id,
    title: r.title,
    mediaType: r.media_type,
    year: r.year,
    rating: r.rating === null ? null : Number(r.rating),
    liked: r.liked,
    sources: r.sources,
    addedAt: new Date(r.added_at).toISOString(),
  }));
  // The cursor keeps the database's own text of the time: an ISO string would drop microseconds.
  const last = page.at(-1);
  return {
    items,
    nextCursor:
      rows.length > options.limit && last ? encodeCursor({ addedAt: last.added_key, mediaId: last.media_id }) : null,
  };
}
