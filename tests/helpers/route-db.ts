import type { Db } from "../../lib/db/types";

// lib/runtime/database.ts getDb() keeps the process's database on globalThis (see lib/runtime/database.ts).
const holder = globalThis as unknown as { __meshDb?: Promise<Db> };

/** Makes route handlers (which call getDb()) use the test's database; returns the undo. */
export function serveRoutesFrom(db: Db): () => void {
  holder.__meshDb = Promise.resolve(db);
  return () => {
    holder.__meshDb = undefined;
  };
}
