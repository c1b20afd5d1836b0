import { retryTransient } from "../db/retry";
import type { Db, Queryable } from "../db/types";
import { coverUrlOrNull } from "./cover";
import { localId } from "./ids";
import { applyPlan, readCatalogue } from "./resolve-sql";
import { planResolution, prepareCandidate, type MediaCandidate, type PreparedCandidate } from "./resolve-plan";

export type { MediaCandidate } from "./resolve-plan";

export interface ResolvedMedia {
  id: string;
  /** False when the title was already in the catalogue (or under an external id). */
  created: boolean;
}

/** Titles per catalogue transaction: a few statements each, so fewer, larger chunks are faster. */
export const RESOLVE_CHUNK = 500;

/**
 * Title locks are buckets of titles: advisory locks live in PostgreSQL's shared lock table
 * (max_locks_per_transaction x connections, a few thousand slots), so a transaction takes at most
 * this many whatever its size. Imports share most of their titles anyway (shared taste is the
 * product's point), so finer locks would buy little parallelism.
 */
const LOCK_BUCKETS = 64;

/** The id a (possibly merged) canonical id lives under now, or null when unknown. */
export async function currentMediaId(db: Queryable, id: string): Promise<string | null> {
  const rows = await db.query<{ id: string }>(
    `SELECT m.id FROM canonical_media m
     WHERE m.id = coalesce((SELECT to_id FROM media_redirects WHERE from_id = $1), $1)`,
    [id],
  );
  return rows[0]?.id ?? null;
}

// FNV-1a: a stable bucket per title for PostgreSQL's advisory locks.
function lockKey(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % LOCK_BUCKETS;
}

/** Advisory-lock namespace of catalogue titles (the first key of the two-key form). */
const TITLE_LOCKS = 0x6d656469; // "medi"

/**
 * Serialises the resolution of each title across concurrent batches: two imports deciding about
 * "Blade Runner" at once would otherwise each create a record. Buckets are taken in ascending order
 * (unnest keeps the array's order), so two batches never wait on each other in a circle.
 */
async function lockTitles(tx: Queryable, batch: PreparedCandidate[]): Promise<void> {
  if (!batch.length) return;
  const keys = new Set<number>();
  for (const c of batch) {
    keys.add(lockKey(`${c.mediaType}|${c.parts.norm}`));
    if (c.external) keys.add(lockKey(`ext|${c.external}`));
    if (c.isrc) keys.add(lockKey(`isrc|${c.isrc}`));
  }
  const sorted = [...keys].sort((a, b) => a - b);
  await tx.query(`SELECT count(pg_advisory_xact_lock($1::int, k)) FROM unnest($2::int[]) AS k`, [TITLE_LOCKS, sorted]);
}

/** Takes the catalogue locks of these titles now (before any row lock), for a caller's transaction. */
export async function lockCatalogueTitles(tx: Queryable, candidates: MediaCandidate[]): Promise<void> {
  await lockTitles(tx, prepare(candidates));
}

function prepare(candidates: MediaCandidate[]): PreparedCandidate[] {
  // Checked here so a bad URL from a source is dropped, not a failed import on the column's CHECK.
  return candidates.map((c) => prepareCandidate(c, coverUrlOrNull(c.coverUrl), localId));
}

async function resolvePrepared(tx: Queryable, batch: PreparedCandidate[]): Promise<ResolvedMedia[]> {
  await lockTitles(tx, batch);
  const view = await readCatalogue(tx, batch);
  return applyPlan(tx, planResolution(batch, view), view.storedAliases);
}

/**
 * Finds or creates the one canonical record for each title, inside a transaction the caller
 * holds (the metadata refresh: a promotion and its metadata land together). The caller must not
 * hold row locks on catalogue tables yet: the title locks come first.
 */
export async function resolveMediaInTransaction(tx: Queryable, candidates: MediaCandidate[]): Promise<ResolvedMedia[]> {
  if (!candidates.length) return [];
  return resolvePrepared(tx, prepare(candidates));
}

/**
 * Finds or creates the one canonical record for each title, set-based: per chunk of titles, one
 * short transaction of a few statements, retried on a deadlock or serialization failure. Call it
 * before the transaction that writes the person's own rows: the catalogue is shared, and a record
 * it creates may stay when that transaction later fails (it holds nothing personal).
 */
export async function resolveMediaBatch(
  db: Db,
  candidates: MediaCandidate[],
  options: { chunkSize?: number } = {},
): Promise<ResolvedMedia[]> {
  const prepared = prepare(candidates);
  const size = options.chunkSize ?? RESOLVE_CHUNK;
  const out: ResolvedMedia[] = [];
  for (let i = 0; i < prepared.length; i += size) {
    const chunk = prepared.slice(i, i + size);
    out.push(...(await retryTransient(() => db.transaction((tx) => resolvePrepared(tx, chunk)))));
  }
  return out;
}

/** One title: resolveMediaBatch for a batch of one. */
export async function resolveMedia(db: Db, candidate: MediaCandidate): Promise<ResolvedMedia> {
  const [resolved] = await resolveMediaBatch(db, [candidate]);
  return resolved;
}
