import type { Queryable } from "../../db/types";
import type { MetadataProvider } from "./types";

/** A "not found" is believed for a day: services add titles, but not by the minute. */
export const MISS_TTL_MS = 24 * 60 * 60 * 1000;

export async function missedRecently(
  db: Queryable,
  provider: MetadataProvider,
  key: string,
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM media_fetch_misses WHERE provider = $1 AND lookup_key = $2 AND missed_at > $3::timestamptz`,
    [provider, key, new Date(now.getTime() - MISS_TTL_MS)],
  );
  return rows.length > 0;
}

export async function recordMiss(db: Queryable, provider: MetadataProvider, key: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO media_fetch_misses (provider, lookup_key, missed_at) VALUES ($1, $2, $3::timestamptz)
     ON CONFLICT (provider, lookup_key) DO UPDATE SET missed_at = EXCLUDED.missed_at`,
    [provider, key, now],
  );
}

export async function forgetMiss(db: Queryable, provider: MetadataProvider, key: string): Promise<void> {
  await db.query(`DELETE FROM media_fetch_misses WHERE provider = $1 AND lookup_key = $2`, [provider, key]);
}
