import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openPglite } from "../../lib/db/pglite";
import { openPostgres } from "../../lib/db/postgres";
import { migrate } from "../../lib/db/migrate";
import { IN_CI } from "./env";
import { withDatabase } from "./pg-admin";

/**
 * One migrated PGlite, dumped to a file each test file's embedded database starts from (loading
 * the dump takes about a second; creating and migrating a fresh one about five, forty times a run).
 */
async function pgliteTemplate(project: TestProject): Promise<() => Promise<void>> {
  const file = join(tmpdir(), `mesh-pglite-template-${process.pid}.tar`);
  const db = await openPglite();
  await migrate(db);
  await writeFile(file, Buffer.from(await (await db.dumpDataDir()).arrayBuffer()));
  await db.close();
  project.provide("pgliteTemplate", file);
  return () => rm(file, { force: true });
}

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
  if (!url && IN_CI) throw new Error("CI=true but TEST_DATABASE_URL is not set: run scripts/local-postgres.sh first");
  const dropPgliteTemplate = await pgliteTemplate(project);
  if (!url) {
    console.warn("[tests] TEST_DATABASE_URL unset: database suites run on PGlite only");
    return dropPgliteTemplate;
  }
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB} TEMPLATE template0`);
  await admin.end();
  const db = openPostgres(withDatabase(url, TEMPLATE_DB), { max: 1 });
  await migrate(db);
  await db.close();
  return async () => {
    await dropPgliteTemplate();
    const cleanup = postgres(url, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await cleanup.end();
  };
}
