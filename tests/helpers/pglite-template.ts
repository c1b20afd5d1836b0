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
 * A PGlite already migrated (in memory, or in `dataDir`): a copy of global-setup's dump, read once
 * per worker.
 * Outside the integration project (no dump provided) it is created and migrated here.
 */
export async function openMigratedPglite(dataDir?: string): Promise<PgliteDb> {
  const file = inject("pgliteTemplate");
  if (!file) {
    const db = await openPglite(dataDir);
    await migrate(db);
    return db;
  }
  template ??= readFile(file).then((bytes) => new Blob([bytes]));
  return openPglite(dataDir, await template);
}
