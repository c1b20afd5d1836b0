import { join } from "node:path";
import { databaseUrl, dataDir } from "./config";
import { migrate } from "./migrate";
import { openPglite } from "./pglite";
import { openPostgres } from "./postgres";
import type { Db } from "./types";

export type { Db, Queryable, DriverKind, JwtClaims, SqlParam } from "./types";

/**
 * Opens the database this process is configured for: postgres.js on DATABASE_URL, else PGlite
 * under the data directory with migrations applied at open (embedded mode needs no setup).
 */
export async function openConfiguredDb(): Promise<Db> {
  const url = databaseUrl();
  if (url) return openPostgres(url);
  const db = await openPglite(join(dataDir(), "pglite"));
  await migrate(db);
  return db;
}

// One instance per process, kept on globalThis because Next's dev server reloads modules and a
// PGlite data directory must only ever be opened once.
const holder = globalThis as unknown as { __meshDb?: Promise<Db> };

export function getDb(): Promise<Db> {
  if (!holder.__meshDb) {
    holder.__meshDb = openConfiguredDb().catch((err) => {
      holder.__meshDb = undefined; // let the next request try again
      throw err;
    });
  }
  return holder.__meshDb;
}

/** Closes this process's database (scripts at exit, tests between configurations). */
export async function closeDb(): Promise<void> {
  const pending = holder.__meshDb;
  holder.__meshDb = undefined;
  if (pending) await (await pending.catch(() => null))?.close();
}
