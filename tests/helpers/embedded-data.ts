import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { migrate } from "../../lib/db/migrate";
import { openPglite } from "../../lib/db/pglite";
import { seedDemo } from "../../lib/demo/seed";
import { seedDemoCatalogue } from "../../lib/demo/shop";

/** Where the e2e tests' cover art lives: a reserved test domain, answered by the browser test. */
export const COVER_HOST = "https://covers.example.test";

/**
 * Prepares an app's embedded data directory before `next start` opens it: migrated, seeded with the
 * demo people the app would seed on first run (same seed), and with cover art on the films and
 * books of the catalogue (music left without, as for titles no metadata service has a cover for).
 * Nothing in the app writes covers yet, so the test puts them where a metadata fetcher would.
 */
export async function prepareEmbeddedData(
  dataDir: string,
  options: { users: number; catalogue?: boolean },
): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const db = await openPglite(join(dataDir, "pglite"));
  try {
    await migrate(db);
    await seedDemo(db, { users: options.users, seed: 42 });
    // The demo shop's products without its 20k events (those take half a minute to seed).
    if (options.catalogue) await seedDemoCatalogue(db, 42);
    await db.query(
      `UPDATE canonical_media SET cover_url = $1 || '/' || replace(id, ':', '-') || '.png'
       WHERE media_type IN ('film', 'book')`,
      [COVER_HOST],
    );
  } finally {
    await db.close();
  }
}
