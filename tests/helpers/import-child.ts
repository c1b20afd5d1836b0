// A process to be killed mid-import (tests/integration/faults-killed.test.ts): opens the database
// (a postgres URL, or a PGlite data directory), imports a large Letterboxd export for one person,
// and once the person's favorites are written inside the import's open transaction, says "inside"
// and holds the transaction open until it is killed (or says "done" if it ever gets that far).
// Run with tsx.
import { letterboxdRatingsCsv } from "../../bench/favorites";
import { importExportFile } from "../../lib/connectors/import-file";
import { openPglite } from "../../lib/db/pglite";
import { openPostgres } from "../../lib/db/postgres";
import type { Db, Queryable } from "../../lib/db/types";

const [target, userId, rows] = process.argv.slice(2);
const db = target.startsWith("postgres") ? openPostgres(target, { max: 1 }) : await openPglite(target);

/** The transaction as the import sees it, pausing for good after its first write of favorites. */
function pausingAfterFavorites(tx: Queryable): Queryable {
  return {
    async query(sql, params) {
      const result = await tx.query(sql, params);
      if (/insert\s+into\s+favorite_items/i.test(sql)) {
        process.stdout.write("inside\n");
        await new Promise(() => {}); // never resolves: the parent kills us here
      }
      return result;
    },
    exec: (sql) => tx.exec(sql),
  } as Queryable;
}

const watched: Db = { ...db, transaction: (fn) => db.transaction((tx) => fn(pausingAfterFavorites(tx))) };
await importExportFile(watched, userId, "letterboxd", {
  name: "ratings.csv",
  bytes: letterboxdRatingsCsv(Number(rows), 5),
  kind: "csv",
});
process.stdout.write("done\n");
await db.close();
