import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { migrate } from "../../lib/db/migrate";
import { openPglite, type PgliteDb } from "../../lib/db/pglite";

declare module "vitest" {
  export interface ProvidedContext {
    /** The file global-setup dumped one migrated PGlite into (integration project only). */
    pgliteTemplate: string;
  }
}

let template: Promise<Blob> | undefined;

/**
 * An in-memory PGlite already migrated: a copy of global-setup's dump, read once per worker.
 * Outside the integration project (no dump provided) it is created and migrated here.
 */
export async function openMigratedPglite(): Promise<PgliteDb> {
  const file = inject("pgliteTemplate");
  if (!file) {
    const db = await openPglite();
    await migrate(db);
    return db;
  }
  template ??= readFile(file).then((bytes) => new Blob([bytes]));
  return openPglite(undefined, await template);
}
