import { appliedMigrations } from "./db/migrate";
import type { Db } from "./db/types";

export interface HealthReport {
  status: "ok";
  db: "pglite" | "postgres";
  migrations: { applied: number; latest: string | null };
  version: string;
}

/** Answers whether the database is reachable and migrated; throws when it is not reachable. */
export async function checkHealth(db: Db, version: string): Promise<HealthReport> {
  const versions = await appliedMigrations(db);
  return {
    status: "ok",
    db: db.kind,
    migrations: { applied: versions.length, latest: versions.at(-1) ?? null },
    version,
  };
}
