import { join } from "node:path";
import { databaseReadUrl, databaseUrl, dataDir } from "../db/config";
import { migrate } from "../db/migrate";
import { openPglite } from "../db/pglite";
import { openPostgres } from "../db/postgres";
import { replayedUpTo } from "../db/read-after";
import { readSplit } from "../db/read-split";
import { wroteRecently } from "../db/recent-writes";
import type { Db } from "../db/types";
import { hasDemoData, seedDemo } from "../demo/seed";
import { log } from "../log";

/**
 * Opens the database this process is configured for: postgres.js on DATABASE_URL, else PGlite
 * under the data directory with migrations applied at open (embedded mode needs no setup).
 */
export async function openConfiguredDb(options: { seedDemo?: boolean; statementTimeoutMs?: number } = {}): Promise<Db> {
  const url = databaseUrl();
  if (url) return openPostgres(url, { statementTimeoutMs: options.statementTimeoutMs, statsName: "primary" });
  const db = await openPglite(join(dataDir(), "pglite"));
  await migrate(db);
  if (options.seedDemo ?? true) await seedEmbeddedDemo(db);
  return db;
}

/** Embedded mode seeds a demo dataset on first run (MESH_DEMO_USERS users; 0 turns it off). */
async function seedEmbeddedDemo(db: Db): Promise<void> {
  const users = Number(process.env.MESH_DEMO_USERS ?? 2000);
  if (!Number.isInteger(users) || users < 0) throw new Error("MESH_DEMO_USERS must be a whole number >= 0");
  if (users === 0 || (await hasDemoData(db))) return;
  log.info(`first run: seeding ${users} demo users into the embedded database`);
  const result = await seedDemo(db, { users, seed: 42, shop: true });
  log.info(`demo data ready: ${result.users} users, ${result.titles} titles, ${result.favorites} favorites`);
}

// One instance per process, kept on globalThis because Next's dev server reloads modules and a
// PGlite data directory must only ever be opened once.
const holder = globalThis as unknown as {
  __meshDb?: Promise<Db>;
  __meshReadDb?: Promise<ReturnType<typeof readSplit>>;
};

/**
 * The longest a request's statement may run on PostgreSQL (MESH_STATEMENT_TIMEOUT_MS, default 10 s,
 * below Vercel's 30 s function limit); then it is canceled and the request answers 503.
 */
export function requestStatementTimeoutMs(env = process.env): number {
  const value = Number(env.MESH_STATEMENT_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(value) || value < 0)
    throw new Error("MESH_STATEMENT_TIMEOUT_MS must be a whole number of ms >= 0");
  return value;
}

/** The server's database: the configured one, with the request statement timeout on PostgreSQL. */
export function getDb(): Promise<Db> {
  if (!holder.__meshDb) {
    holder.__meshDb = openConfiguredDb({ statementTimeoutMs: requestStatementTimeoutMs() }).catch((err) => {
      holder.__meshDb = undefined; // let the next request try again
      throw err;
    });
  }
  return holder.__meshDb;
}

/**
 * The database for a read that may be slightly stale (candidates, why, rooms, search): reads on
 * DATABASE_READ_URL, writes on the primary (lib/db/read-split.ts). The primary alone when no
 * replica is configured, and for a viewer who wrote through this process within the last
 * MESH_READ_YOUR_WRITES_MS: their next slate must show their own feedback, block or import.
 */
export async function getReadDb(viewerId?: string | null, readAfter?: string | null): Promise<Db> {
  if (!readReplicaInUse()) return getDb();
  if (viewerId && wroteRecently(viewerId)) return getDb();
  const split = await readSplitDb(databaseReadUrl());
  // A write through another instance (its WAL position brought back by the client, read-after.ts):
  // the replica serves only once it has replayed that far; asking it failed, the primary serves.
  if (readAfter) {
    const replayed = await replayedUpTo(split.replica, readAfter).catch(() => false);
    if (!replayed) return getDb();
  }
  return split;
}

/** Whether reads may go to a replica in this process (DATABASE_READ_URL, or one set up already). */
export function readReplicaInUse(): boolean {
  return Boolean(databaseReadUrl() || holder.__meshReadDb);
}

function readSplitDb(url: string | undefined): Promise<ReturnType<typeof readSplit>> {
  if (!holder.__meshReadDb) {
    holder.__meshReadDb = (async () => {
      const replica = openPostgres(url!, { statementTimeoutMs: requestStatementTimeoutMs(), statsName: "read" });
      return readSplit(await getDb(), replica);
    })().catch((err) => {
      holder.__meshReadDb = undefined;
      throw err;
    });
  }
  return holder.__meshReadDb;
}

/** Closes this process's database (scripts at exit, tests between configurations). */
export async function closeDb(): Promise<void> {
  const pending = holder.__meshDb;
  const reads = holder.__meshReadDb;
  holder.__meshDb = undefined;
  holder.__meshReadDb = undefined;
  if (reads) await (await reads.catch(() => null))?.close();
  if (pending) await (await pending.catch(() => null))?.close();
}
