import type { Db, Queryable } from "../db/types";
import { queueUserReembed } from "../jobs/enqueue";
import { retryTransient } from "../db/retry";
import { resolveMediaBatch } from "../media/resolve";
import type { FavoriteDraft, FavoriteSource, ParsedImport } from "./types";

export interface ImportCounts {
  /** Rows read from the file(s). */
  rows: number;
  /** Distinct titles saved as favorites. */
  imported: number;
  /** Of those, titles that were already in the catalogue or carry an external id. */
  matched: number;
  /** Rows read but not favorites (to-read shelf, …). */
  skipped: number;
}

interface Row {
  media_id: string;
  rating: number | null;
  liked: boolean;
  play_count: number;
  added_at: string | null;
  external_uri: string | null;
}

/** Two drafts that resolved to one title (a film and its Final Cut): one favorite. */
function combine(a: Row, b: Row): Row {
  return {
    media_id: a.media_id,
    rating: a.rating ?? b.rating,
    liked: a.liked || b.liked,
    play_count: a.play_count + b.play_count,
    added_at: !a.added_at ? b.added_at : !b.added_at ? a.added_at : a.added_at < b.added_at ? a.added_at : b.added_at,
    external_uri: a.external_uri ?? b.external_uri,
  };
}

// An export file is the whole truth for its source: re-importing replaces what it said before.
// Re-importing the same file must change nothing, updated_at included.
const REPLACE = `ON CONFLICT (user_id, media_id, source) DO UPDATE SET
  rating = EXCLUDED.rating, liked = EXCLUDED.liked, play_count = EXCLUDED.play_count,
  external_uri = EXCLUDED.external_uri, added_at = EXCLUDED.added_at, updated_at = now()
WHERE (favorite_items.rating, favorite_items.liked, favorite_items.play_count, favorite_items.external_uri,
       favorite_items.added_at)
  IS DISTINCT FROM (EXCLUDED.rating, EXCLUDED.liked, EXCLUDED.play_count, EXCLUDED.external_uri, EXCLUDED.added_at)`;

// A connector sync sees only part of the truth each time (a delta of saved tracks, this month's
// top list): what it learns adds to the favorite and never takes back what an earlier sync saw.
const ACCUMULATE = `ON CONFLICT (user_id, media_id, source) DO UPDATE SET
  rating = coalesce(EXCLUDED.rating, favorite_items.rating),
  liked = favorite_items.liked OR EXCLUDED.liked,
  play_count = greatest(favorite_items.play_count, EXCLUDED.play_count),
  external_uri = coalesce(EXCLUDED.external_uri, favorite_items.external_uri),
  added_at = least(favorite_items.added_at, EXCLUDED.added_at), updated_at = now()
WHERE (coalesce(EXCLUDED.rating, favorite_items.rating), favorite_items.liked OR EXCLUDED.liked,
       greatest(favorite_items.play_count, EXCLUDED.play_count),
       coalesce(EXCLUDED.external_uri, favorite_items.external_uri), least(favorite_items.added_at, EXCLUDED.added_at))
  IS DISTINCT FROM (favorite_items.rating, favorite_items.liked, favorite_items.play_count, favorite_items.external_uri,
       favorite_items.added_at)`;

/** Drafts resolved to canonical ids, one row per distinct title, ready to write. */
export interface ResolvedFavorites {
  rows: Row[];
  /** Titles that were already in the catalogue or carry an external id. */
  matched: number;
}

/**
 * Resolves drafts to canonical ids (the shared catalogue, in its own short transactions: see
 * resolveMediaBatch) and folds drafts of one title into one row. Call it before the transaction
 * that writes the person's rows.
 */
export async function resolveFavorites(db: Db, drafts: FavoriteDraft[]): Promise<ResolvedFavorites> {
  const toResolve = drafts.filter((d) => !d.mediaId).map((d) => d.candidate);
  const resolved = await resolveMediaBatch(db, toResolve);
  const rows = new Map<string, Row>();
  let matched = 0;
  let next = 0;
  for (const d of drafts) {
    const { id, created } = d.mediaId ? { id: d.mediaId, created: false } : resolved[next++];
    if (!created || !id.startsWith("local:")) matched++;
    const row: Row = {
      media_id: id,
      rating: d.rating,
      liked: d.liked,
      play_count: d.playCount,
      added_at: d.addedAt?.toISOString() ?? null,
      external_uri: d.externalUri,
    };
    const prior = rows.get(id);
    if (prior) matched--;
    rows.set(id, prior ? combine(prior, row) : row);
  }
  return { rows: [...rows.values()], matched };
}

/**
 * Upserts the person's own favorite rows in one statement, in title order (two writes for one
 * person then lock their rows in the same order). `accumulate` is for connector syncs (see
 * ACCUMULATE); exports replace.
 */
export async function writeFavorites(
  tx: Queryable,
  userId: string,
  source: FavoriteSource,
  favorites: ResolvedFavorites,
  options: { accumulate?: boolean } = {},
): Promise<string[]> {
  if (favorites.rows.length) {
    await tx.query(
      `INSERT INTO favorite_items (user_id, media_id, source, rating, liked, play_count, external_uri, added_at)
       SELECT $1, t.media_id, $2, t.rating, t.liked, t.play_count, t.external_uri, coalesce(t.added_at, now())
       FROM jsonb_to_recordset($3::text::jsonb)
         AS t(media_id text, rating numeric, liked boolean, play_count int, external_uri text, added_at timestamptz)
       ORDER BY t.media_id
       ${options.accumulate ? ACCUMULATE : REPLACE}`,
      [userId, source, JSON.stringify(favorites.rows)],
    );
  }
  return favorites.rows.map((r) => r.media_id);
}

/**
 * Resolves, then writes, retrying the whole when the catalogue moved under it: a deadlock, or a
 * title merged into another (23503: the id just resolved is gone) between the two steps.
 */
export function resolveAndWrite<T>(
  db: Db,
  drafts: FavoriteDraft[],
  write: (tx: Queryable, favorites: ResolvedFavorites) => Promise<T>,
): Promise<T> {
  return retryTransient(
    async () => {
      const favorites = await resolveFavorites(db, drafts);
      return db.transaction((tx) => write(tx, favorites));
    },
    { alsoRetry: [FOREIGN_KEY_VIOLATION] },
  );
}

const FOREIGN_KEY_VIOLATION = "23503";

/**
 * Saves a parsed export: the titles resolved first, then the person's rows, the connector status
 * and the re-embed job in one transaction, all of it or (on any error) none of it.
 */
export async function saveImport(
  db: Db,
  userId: string,
  service: "letterboxd" | "goodreads",
  parsed: ParsedImport,
): Promise<ImportCounts> {
  return resolveAndWrite(db, parsed.drafts, async (tx, favorites) => {
    const mediaIds = await writeFavorites(tx, userId, service, favorites);
    const counts: ImportCounts = {
      rows: parsed.rows,
      imported: mediaIds.length,
      matched: favorites.matched,
      skipped: parsed.skipped,
    };
    await tx.query(
      `INSERT INTO connector_accounts (user_id, service, status, status_reason, counts, last_synced_at)
       VALUES ($1, $2, 'idle', NULL, $3::text::jsonb, now())
       ON CONFLICT (user_id, service) DO UPDATE SET status = 'idle', status_reason = NULL,
         counts = EXCLUDED.counts, last_synced_at = EXCLUDED.last_synced_at`,
      [userId, service, JSON.stringify(counts)],
    );
    await queueUserReembed(tx, userId);
    return counts;
  });
}
