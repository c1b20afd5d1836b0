import { afterAll, beforeAll, describe } from "vitest";
import { openPglite } from "../../lib/db/pglite";
import { openPostgres } from "../../lib/db/postgres";
import type { Db } from "../../lib/db/types";
import { IN_CI } from "./env";
import { createTestDatabase } from "./pg-admin";
import { openMigratedPglite } from "./pglite-template";

export interface DriverContext {
  /** The database under test, open for the whole describe block. */
  db: Db;
  /** The postgres URL of that database (postgres driver only). */
  url?: string;
}

export type DriverName = "pglite" | "postgres";

/** The drivers this run tests: PGlite always, postgres.js when TEST_DATABASE_URL is set. */
export function activeDrivers(): DriverName[] {
  if (process.env.TEST_DATABASE_URL) return ["pglite", "postgres"];
  if (IN_CI) throw new Error("CI=true but TEST_DATABASE_URL is not set");
  return ["pglite"];
}

/**
 * Runs the same suite against each driver on a database of its own: migrated (the default) or
 * empty (for migration tests).
 */
export function describeEachDriver(
  title: string,
  body: (ctx: DriverContext, driver: DriverName) => void,
  options: { empty?: boolean } = {},
): void {
  for (const driver of activeDrivers()) {
    describe(`${title} [${driver}]`, () => {
      const ctx = {} as DriverContext;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        if (driver === "pglite") {
          ctx.db = options.empty ? await openPglite() : await openMigratedPglite();
        } else {
          const created = await createTestDatabase(
            process.env.TEST_DATABASE_URL!,
            options.empty ? "empty" : "template",
          );
          drop = created.drop;
          ctx.url = created.url;
          ctx.db = openPostgres(created.url, { max: 4 });
        }
      });
      afterAll(async () => {
        await ctx.db?.close();
        await drop?.();
      });
      body(ctx, driver);
    });
  }
}
