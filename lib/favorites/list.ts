import { withClaims } from "../db/claims";
import type { Db } from "../db/types";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { HttpError } from "../http/errors";
import type { MediaType } from "../media/types";
import type { FavoriteSource } from "./types";
// The item's shape is the HTTP contract's (one declaration: api/favorites.ts).
import type { FavoriteItem } from "../../api/favorites";

export type { FavoriteItem };

interface Cursor {
  addedAt: string;
  mediaId: string;
}

// The database's own text of a timestamptz ("2026-11-25 10:00:00.123456+00"), as cursors carry it.
const TIMESTAMPTZ_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?\d{2}){0,2})$/;

/** True for a timestamp PostgreSQL reads back without error: a real calendar day in years 1-9999. */
function isTimestampText(text: string): boolean {
  const m = TIMESTAMPTZ_TEXT.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  const offsetHours = m[7] === undefined ? 0 : Number(m[7]);
  return (
    year >= 1 &&
    days !== undefined &&
    day >= 1 &&
    day <= days &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours <= 15
  );
}

function decodeListCursor(raw: string): Cursor {
  try {
    const [addedAt, mediaId] = decodeCursor(raw) as unknown[];
    if (typeof addedAt !== "string" || !isTimestampText(addedAt)) throw 0;
    if (typeof mediaId !== "string" || mediaId.length > 200 || mediaId.includes("\u0000") || !mediaId.isWellFormed()) {
      throw 0;
    }
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
  const after = options.cursor ? decodeListCursor(options.cursor) : null;
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
    nextCursor: rows.length > options.limit && last ? encodeCursor([last.added_key, last.media_id]) : null,
  };
}
