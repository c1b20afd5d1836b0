import type { Queryable } from "../db/types";
import { coverUrlOrNull } from "./cover";
import { forgetMiss, missedRecently, recordMiss } from "./fetchers/miss-cache";
import type { MediaRecord, MetadataFetcher } from "./fetchers/types";
import { embeddedPartsChanged, mergeFetchedMetadata } from "./refresh-merge";
import { currentMediaId, resolveMediaInTransaction, type MediaCandidate } from "./resolve";
import type { FetchedMetadata } from "./fetchers/types";
import type { MediaType } from "./types";

/** Fetched metadata is trusted for 30 days, then asked for again (issue #3). */
export const METADATA_TTL_DAYS = 30;

export type RefreshOutcome =
  /** Metadata merged and fetched_at set; `mediaId` is where the title lives now. */
  | { status: "updated"; mediaId: string; promotedFrom?: string }
  /** The service does not know the title (now cached for 24 h). */
  | { status: "missed" }
  /** The service said "not found" less than 24 h ago: not asked again. */
  | { status: "cached-miss" }
  /** Nothing to ask with (e.g. a song without an ISRC or an artist). */
  | { status: "skipped" };

interface MediaRow {
  id: string;
  media_type: MediaType;
  title: string;
  year: number | null;
  metadata: MediaRecord["metadata"] | null;
  cover_url?: string | null;
}

const toRecord = (r: MediaRow): MediaRecord => ({
  id: r.id,
  mediaType: r.media_type,
  title: r.title,
  year: r.year,
  metadata: r.metadata ?? {},
  coverUrl: r.cover_url ?? null,
});

function staleBefore(now: Date): Date {
  return new Date(now.getTime() - METADATA_TTL_DAYS * 24 * 60 * 60 * 1000);
}

/** Titles of these types never fetched or fetched more than 30 days ago, in id order after `after`. */
export async function staleTitles(
  db: Queryable,
  options: { mediaTypes: MediaType[]; after: string | null; limit: number; now: Date },
): Promise<MediaRecord[]> {
  const rows = await db.query<MediaRow>(
    `SELECT id, media_type, title, year, metadata, cover_url FROM canonical_media
     WHERE media_type = ANY($1::text[]) AND (fetched_at IS NULL OR fetched_at < $2::timestamptz)
       AND ($3::text IS NULL OR id > $3) ORDER BY id LIMIT $4`,
    [options.mediaTypes, staleBefore(options.now), options.after, options.limit],
  );
  return rows.map(toRecord);
}

export async function countStaleTitles(db: Queryable, mediaTypes: MediaType[], now: Date): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM canonical_media
     WHERE media_type = ANY($1::text[]) AND (fetched_at IS NULL OR fetched_at < $2::timestamptz)`,
    [mediaTypes, staleBefore(now)],
  );
  return row.n;
}

/** What a promotion of the title to the service's external id would resolve. */
export function promotionCandidate(record: MediaRecord, externalId: string | null): MediaCandidate {
  const isrc = typeof record.metadata.isrc === "string" ? record.metadata.isrc : null;
  return { mediaType: record.mediaType, title: record.title, year: record.year, externalId, isrc };
}

/**
 * A local:… title the service named an external id for moves to that id through the resolver
 * (favorites, aliases and a redirect follow). When that id is already another record, resolve
 * does not merge two existing records: the id is kept in metadata.externalId instead.
 */
async function promote(db: Queryable, record: MediaRecord, externalId: string): Promise<string> {
  await resolveMediaInTransaction(db, [promotionCandidate(record, externalId)]);
  return (await currentMediaId(db, record.id)) ?? record.id;
}

/** What asking a service about a title gave: its answer, or an outcome with nothing to write. */
export type FetchResult =
  { status: "fetched"; fetched: FetchedMetadata } | Exclude<RefreshOutcome, { status: "updated" }>;

/**
 * Asks one service about one title (the miss cache spares a service titles it did not know
 * yesterday). Writes only the miss cache: the catalogue is written by applyFetched, after the
 * service calls, so no catalogue lock is held while a service answers. Service failures
 * (MetadataServiceError) propagate.
 */
export async function fetchTitle(
  db: Queryable,
  fetcher: MetadataFetcher,
  record: MediaRecord,
  now: Date,
): Promise<FetchResult> {
  const key = fetcher.lookupKey(record);
  if (key === null) return { status: "skipped" };
  if (await missedRecently(db, fetcher.provider, key, now)) return { status: "cached-miss" };
  const fetched = await fetcher.fetch(record);
  if (!fetched) {
    await recordMiss(db, fetcher.provider, key, now);
    return { status: "missed" };
  }
  await forgetMiss(db, fetcher.provider, key);
  return { status: "fetched", fetched };
}

/**
 * Merges a service's answer into canonical_media. Run it inside a transaction that holds the
 * title's catalogue lock (lockCatalogueTitles with promotionCandidate): a promotion and its
 * metadata land together or not at all.
 */
export async function applyFetched(
  db: Queryable,
  fetcher: MetadataFetcher,
  record: MediaRecord,
  fetched: FetchedMetadata,
  now: Date,
): Promise<RefreshOutcome> {
  let mediaId = record.id;
  let unmergedExternalId: string | undefined;
  if (record.id.startsWith("local:") && fetched.externalId) {
    mediaId = await promote(db, record, fetched.externalId);
    if (mediaId !== fetched.externalId) unmergedExternalId = fetched.externalId;
  }
  const [current] = await db.query<MediaRow>(
    `SELECT id, media_type, title, year, metadata FROM canonical_media WHERE id = $1`,
    [mediaId],
  );
  const before = current?.metadata ?? record.metadata;
  const year = current?.year ?? record.year;
  const merged = mergeFetchedMetadata(before, fetched, fetcher.provider, year);
  if (unmergedExternalId) merged.externalId = unmergedExternalId;
  const reembed = embeddedPartsChanged(before, merged);
  // The service's current cover replaces ours; a service without one (or with a URL the column's
  // CHECK would refuse) keeps what the title has, and never fails the update.
  const coverUrl = coverUrlOrNull(fetched.coverUrl);
  await db.query(
    `UPDATE canonical_media SET metadata = $2::text::jsonb, fetched_at = $3::timestamptz,
       year = coalesce(year, $4::int), embedding = CASE WHEN $5::boolean THEN NULL ELSE embedding END,
       cover_url = coalesce($6::text, cover_url)
     WHERE id = $1`,
    [mediaId, JSON.stringify(merged), now, fetched.year ?? null, reembed, coverUrl],
  );
  // As when an embedding is replaced: the title's taste projection is stale; the nightly run redoes both.
  if (reembed) await db.query(`DELETE FROM media_taste_projections WHERE media_id = $1`, [mediaId]);
  return mediaId === record.id
    ? { status: "updated", mediaId }
    : { status: "updated", mediaId, promotedFrom: record.id };
}
