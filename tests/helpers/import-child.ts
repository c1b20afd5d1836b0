// A process to be killed mid-import (tests/integration/faults-killed.test.ts): opens the database
// (a postgres URL, or a PGlite data directory), says "opened", then imports a large Letterboxd
// export for one person and says "done". Run with tsx.
import { letterboxdRatingsCsv } from "../../bench/favorites";
import { importExportFile } from "../../lib/connectors/import-file";
import { openPglite } from "../../lib/db/pglite";
import { openPostgres } from "../../lib/db/postgres";

const [target, userId, rows] = process.argv.slice(2);
const db = target.startsWith("postgres") ? openPostgres(target, { max: 1 }) : await openPglite(target);
await db.query("SELECT 1");
process.stdout.write("opened\n");
await importExportFile(db, userId, "letterboxd", {
  name: "ratings.csv",
  bytes: letterboxdRatingsCsv(Number(rows), 5),
  kind: "csv",
});
process.stdout.write("done\n");
await db.close();
