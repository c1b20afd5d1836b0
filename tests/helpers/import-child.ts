// A process to be killed mid-import (tests/integration/faults-killed.test.ts): opens the database
// (a postgres URL, or a PGlite data directory), imports a large Letterboxd export for one person,
// and once the person's favorites are written inside the import's open transaction, says "inside"
// and holds the transaction open until it is killed (or says "done" if it ever gets that far).
// Run with tsx.
import { letterboxdRatingsCsv } from "../../bench/favorites";
import { importExportFile } from "../../lib/connectors/import-file";
import { openTarget, pausingAfterInsertInto } from "./pause-after-write";

const [target, userId, rows] = process.argv.slice(2);
const db = await openTarget(target);

const watched = pausingAfterInsertInto(db, "favorite_items");
await importExportFile(watched, userId, "letterboxd", {
  name: "ratings.csv",
  bytes: letterboxdRatingsCsv(Number(rows), 5),
  kind: "csv",
});
process.stdout.write("done\n");
await db.close();
