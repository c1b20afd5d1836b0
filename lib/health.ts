import { appliedMigrations } from "./db/migrate";
import type { Db } from "./db/types";
import { log } from "./log";

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

export interface HealthUnavailable {
  status: "unavailable";
  error: { code: "db_unreachable"; message: string };
  version: string;
}

/**
 * GET /api/health's answer: 200 with the report, or 503 when the database cannot be opened or
 * queried (logged here; the answer names no host, user or password).
 */
export async function healthAnswer(
  openDb: () => Promise<Db>,
  version: string,
): Promise<{ status: 200; body: HealthReport } | { status: 503; body: HealthUnavailable }> {
  try {
    return { status: 200, body: await checkHealth(await openDb(), version) };
  } catch (err) {
    log.error("health: database unreachable", err);
    return {
      status: 503,
      body: { status: "unavailable", error: { code: "db_unreachable", message: "database unreachable" }, version },
    };
  }
}
