import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Db } from "./types";

/** Where the schema lives: supabase/migrations is its only definition. */
export const MIGRATIONS_DIR = resolve(/* turbopackIgnore: true */ process.cwd(), "supabase/migrations");
/** What Supabase itself provides (auth schema, roles); applied only where it is missing. */
export const COMPAT_FILE = resolve(/* turbopackIgnore: true */ process.cwd(), "supabase/compat/supabase_compat.sql");

export interface MigrationFile {
  version: string;
  name: string;
  path: string;
}

export interface MigrateResult {
  applied: string[];
  skipped: number;
  compatApplied: boolean;
}

/** Files named `<timestamp>_<name>.sql`, in the order the Supabase CLI applies them. */
export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(/* turbopackIgnore: true */ dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const [, version, name] = /^(\d+)_(.+)\.sql$/.exec(f)!;
      return { version, name, path: join(/* turbopackIgnore: true */ dir, f) };
    });
}

/** True when the database lacks what Supabase provides (so this is not a Supabase project). */
async function needsCompat(db: Db): Promise<boolean> {
  const rows = await db.query<{ present: boolean }>(
    `SELECT to_regprocedure('auth.uid()') IS NOT NULL
        AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') AS present`,
  );
  return !rows[0].present;
}

/**
 * Applies pending migrations in order, each in its own transaction, recording them in
 * supabase_migrations.schema_migrations as the Supabase CLI does, so `supabase db push` and this
 * migrator agree on what has been applied.
 */
export async function migrate(
  db: Db,
  options: { dir?: string; onProgress?: (msg: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.onProgress ?? (() => {});
  const compatApplied = await needsCompat(db);
  if (compatApplied) {
    log("applying Supabase compatibility (auth schema, roles)");
    await db.exec(readFileSync(COMPAT_FILE, "utf8"));
  }
  await db.exec(`
    CREATE SCHEMA IF NOT EXISTS supabase_migrations;
    CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (
      version text PRIMARY KEY, statements text[], name text
    );`);
  const done = new Set(
    (await db.query<{ version: string }>("SELECT version FROM supabase_migrations.schema_migrations")).map(
      (r) => r.version,
    ),
  );
  const applied: string[] = [];
  const files = listMigrations(options.dir);
  for (const file of files) {
    if (done.has(file.version)) continue;
    const sql = readFileSync(file.path, "utf8");
    log(`applying ${file.version}_${file.name}`);
    try {
      await db.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query(
          "INSERT INTO supabase_migrations.schema_migrations (version, statements, name) VALUES ($1, $2, $3)",
          [file.version, [sql], file.name],
        );
      });
    } catch (err) {
      throw new Error(`migration ${file.version}_${file.name} failed: ${(err as Error).message}`, { cause: err });
    }
    applied.push(file.version);
  }
  return { applied, skipped: files.length - applied.length, compatApplied };
}

/** Versions recorded as applied, oldest first. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const rows = await db.query<{ version: string }>(
    `SELECT version FROM supabase_migrations.schema_migrations ORDER BY version`,
  );
  return rows.map((r) => r.version);
}
