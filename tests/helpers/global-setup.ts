import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openPostgres } from "../../lib/db/postgres";
import { migrate } from "../../lib/db/migrate";
import { IN_CI } from "./env";
import { withDatabase } from "./pg-admin";

/**
 * With TEST_DATABASE_URL set, builds one migrated template database that each test file clones
 * (CREATE DATABASE ... TEMPLATE is much faster than migrating per file, and roles, which are
 * cluster-wide, are created once here instead of racing between parallel files).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // One template per run, so two runs on one server (two developers, an IDE) never drop each other's.
  const TEMPLATE_DB = `mesh_test_template_${process.pid}`;
  project.provide("templateDb", TEMPLATE_DB);
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    if (IN_CI) throw new Error("CI=true but TEST_DATABASE_URL is not set: run scripts/local-postgres.sh first");
    console.warn("[tests] TEST_DATABASE_URL unset: database suites run on PGlite only");
    return async () => {};
  }
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB} TEMPLATE template0`);
  await admin.end();
  const db = openPostgres(withDatabase(url, TEMPLATE_DB), { max: 1 });
  await migrate(db);
  await db.close();
  return async () => {
    const cleanup = postgres(url, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await cleanup.end();
  };
}
