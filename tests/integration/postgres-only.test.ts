import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { COMPAT_FILE, listMigrations, migrate } from "../../lib/db/migrate";
import { openPostgres } from "../../lib/db/postgres";
import { activeDrivers } from "../helpers/drivers";
import { createTestDatabase, withDatabase } from "../helpers/pg-admin";

const enabled = activeDrivers().includes("postgres");

describe.runIf(enabled)("on a real PostgreSQL server", () => {
  let empty: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    empty = await createTestDatabase(process.env.TEST_DATABASE_URL!, "empty");
  });
  afterAll(async () => {
    await empty?.drop();
  });

  it("applies the compatibility file and every migration with psql -v ON_ERROR_STOP=1, as supabase db push would", async () => {
    const files = [COMPAT_FILE, ...listMigrations().map((m) => m.path)];
    const args = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", empty.url, ...files.flatMap((f) => ["-f", f])];
    execFileSync("psql", args, { stdio: ["ignore", "pipe", "pipe"] });
    const sql = postgres(empty.url, { max: 1, onnotice: () => {} });
    try {
      const unprotected = await sql`
        SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity`;
      expect(unprotected).toHaveLength(0);
      const [{ n }] = await sql`SELECT count(*)::int AS n FROM pg_policies WHERE schemaname = 'public'`;
      expect(n).toBeGreaterThan(5);
    } finally {
      await sql.end();
    }
  });

  it("schedules the batch jobs with pg_cron in pg_cron's database", async () => {
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    const [{ name }] = await admin`SELECT current_setting('cron.database_name', true) AS name`;
    await admin.end();
    expect(name, "pg_cron must be preloaded (scripts/local-postgres.sh configures it)").toBeTruthy();
    const db = openPostgres(withDatabase(process.env.TEST_DATABASE_URL!, name), { max: 1 });
    try {
      await migrate(db);
      const jobs = await db.query<{ jobname: string; schedule: string }>("SELECT jobname, schedule FROM cron.job");
      expect(jobs).toContainEqual({ jobname: "mesh-jobs-cleanup", schedule: "17 3 * * *" });
    } finally {
      await db.close();
    }
  });
});
