// npm run db:migrate: applies pending migrations to DATABASE_URL, or to the embedded database.
import { join } from "node:path";
import { databaseUrl, dataDir } from "../lib/db/config";
import { migrate } from "../lib/db/migrate";
import { openPglite } from "../lib/db/pglite";
import { openPostgres } from "../lib/db/postgres";
import { runMain } from "./lib/main";

await runMain("db:migrate", async () => {
  const url = databaseUrl();
  const db = url ? openPostgres(url, { max: 1 }) : await openPglite(join(dataDir(), "pglite"));
  try {
    console.log(`migrating ${url ? "DATABASE_URL (postgres)" : `the embedded database in ${dataDir()}`}`);
    const result = await migrate(db, { onProgress: (m) => console.log(`  ${m}`) });
    console.log(`done: ${result.applied.length} applied, ${result.skipped} already applied`);
  } finally {
    await db.close();
  }
});
