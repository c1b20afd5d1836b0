import type { Queryable } from "../db/types";
import { log } from "../log";

/** One impression of a page served from memory, as the events table keeps it. */
export interface BufferedImpression {
  viewerId: string;
  shownId: string;
  /** 1-based position in the slate. */
  position: number;
  payload: Record<string, unknown>;
  /** When it was served (the row's created_at). */
  at: Date;
}

/** How often the buffer is written (ms), and how many rows make it write at once. */
const FLUSH_EVERY_MS = 200;
const FLUSH_AT_ROWS = 2_000;
/** Past this many unwritten rows (the database away for long), the oldest are dropped and counted. */
const MAX_BUFFERED = 100_000;

interface Buffer {
  rows: BufferedImpression[];
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  dropped: number;
}

/** Each database's queue (kept by the database object, which lives as long as the process's pool). */
const buffers = new Map<Queryable, Buffer>();

function bufferOf(db: Queryable): Buffer {
  let b = buffers.get(db);
  if (!b) buffers.set(db, (b = { rows: [], timer: null, flushing: null, dropped: 0 }));
  return b;
}

/**
 * Queues the impressions of a page served from memory: the request does not wait for a database
 * round trip (or for the database at all). They are written in one statement per FLUSH_EVERY_MS,
 * so a crash or a stop loses at most that much of the impression log, and nothing a person did. Rows of a
 * viewer or shown person deleted meanwhile are left out (their account is gone).
 */
export function queueImpressions(db: Queryable, rows: BufferedImpression[]): void {
  if (rows.length === 0) return;
  const b = bufferOf(db);
  b.rows.push(...rows);
  if (b.rows.length > MAX_BUFFERED) {
    const over = b.rows.length - MAX_BUFFERED;
    b.rows.splice(0, over);
    b.dropped += over;
  }
  if (b.rows.length >= FLUSH_AT_ROWS) void flushImpressions(db);
  else if (!b.timer) {
    b.timer = setTimeout(() => void flushImpressions(db), FLUSH_EVERY_MS);
    b.timer.unref();
  }
}

/** Writes what is queued for this database now (tests, shutdown); resolves when it is written or failed. */
export async function flushImpressions(db: Queryable): Promise<void> {
  const b = buffers.get(db);
  if (!b) return;
  if (b.timer) clearTimeout(b.timer);
  b.timer = null;
  if (b.flushing) await b.flushing;
  if (b.rows.length === 0) return;
  const rows = b.rows.splice(0, b.rows.length);
  b.flushing = writeRows(db, rows)
    .catch((err) => {
      // The database is away: keep them for the next flush (bounded by MAX_BUFFERED).
      b.rows.unshift(...rows);
      log.error(`impressions: ${rows.length} waiting to be written, retrying`, err);
      if (!b.timer) {
        b.timer = setTimeout(() => void flushImpressions(db), 5 * FLUSH_EVERY_MS);
        b.timer.unref();
      }
    })
    .finally(() => {
      b.flushing = null;
      if (b.dropped > 0) {
        log.error(`impressions: ${b.dropped} dropped while the database was away`);
        b.dropped = 0;
      }
    });
  await b.flushing;
}

/** Writes every database's queue (on shutdown). */
export async function flushAllImpressions(): Promise<void> {
  await Promise.all([...buffers.keys()].map(flushImpressions));
}

async function writeRows(db: Queryable, rows: BufferedImpression[]): Promise<void> {
  // Payloads travel as text and are cast in SQL: a jsonb[] parameter would store each as a JSON string.
  await db.query(
    `INSERT INTO events (user_id, kind, target_id, value, payload, created_at)
     SELECT r.viewer, 'impression', r.shown, r.position, r.payload::jsonb, r.at
     FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::timestamptz[]) AS r(viewer, shown, position, payload, at)
     WHERE EXISTS (SELECT 1 FROM auth.users u WHERE u.id = r.viewer)`,
    [
      rows.map((r) => r.viewerId),
      rows.map((r) => r.shownId),
      rows.map((r) => r.position),
      rows.map((r) => JSON.stringify(r.payload)),
      rows.map((r) => r.at.toISOString()),
    ],
  );
}
