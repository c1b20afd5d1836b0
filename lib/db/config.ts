import { resolve } from "node:path";

/** Where embedded-mode state lives (PGlite data, the local JWT secret). */
export function dataDir(): string {
  return resolve(/* turbopackIgnore: true */ process.cwd(), process.env.MESH_DATA_DIR ?? ".data");
}

/** The real-Postgres connection string, or undefined for embedded mode. */
export function databaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL?.trim();
  return url ? url : undefined;
}

/**
 * A read replica of DATABASE_URL (DATABASE_READ_URL: a Supabase read replica, or any streaming
 * replica) for reads that may be slightly stale; undefined when unset or without DATABASE_URL.
 */
export function databaseReadUrl(): string | undefined {
  const url = process.env.DATABASE_READ_URL?.trim();
  return url && databaseUrl() ? url : undefined;
}
