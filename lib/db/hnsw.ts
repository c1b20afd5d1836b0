import type { DriverKind, Queryable } from "./types";

/** Memory for an in-memory HNSW build: about 2.5 kB a 256-d row with m = 16, and 256 MB at least. */
export function hnswBuildMemory(rows: number): string {
  return `${Math.max(256, Math.ceil((rows * 2.5) / 1024))}MB`;
}

/**
 * Session settings for building an HNSW index over `rows` rows. pgvector builds the graph in
 * memory while it fits in maintenance_work_mem and falls back to a far slower on-disk build when
 * it does not (1M x 256-d needs well over 1 GB). It builds in parallel (pgvector >= 0.6) with up
 * to max_parallel_maintenance_workers helpers besides the leader: the server's setting (default 2)
 * unless `workers` is given. `local` scopes the settings to the current transaction. PGlite is one process in a WASM heap:
 * neither setting helps there, so it is left alone.
 */
export async function prepareHnswBuild(
  db: Queryable,
  kind: DriverKind,
  rows: number,
  options: { local?: boolean; workers?: number } = {},
): Promise<void> {
  if (kind !== "postgres") return;
  const scope = options.local ? "SET LOCAL" : "SET";
  await db.exec(`${scope} maintenance_work_mem = '${hnswBuildMemory(rows)}'`);
  if (options.workers !== undefined) {
    await db.exec(`${scope} max_parallel_maintenance_workers = ${Math.max(0, Math.floor(options.workers))}`);
  }
}
