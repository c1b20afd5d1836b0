// A process to be killed mid-events (tests/integration/faults-killed.test.ts): opens the database
// (a postgres URL, or a PGlite data directory), ingests a batch of events for one person with the
// ids given, and once the events are written inside the ingest's open transaction (receipts and
// quota before them), says "inside" and holds the transaction open until it is killed (or says
// "done" if it ever gets that far). Run with tsx.
import { ingestEvents } from "../../lib/events/ingest";
import { openPglite } from "../../lib/db/pglite";
import { openPostgres } from "../../lib/db/postgres";
import { openProfileEvents } from "./open-profile-events";
import type { Db, Queryable } from "../../lib/db/types";

const [target, userId, idsJson] = process.argv.slice(2);
const ids = JSON.parse(idsJson) as string[];
const db = target.startsWith("postgres") ? openPostgres(target, { max: 1 }) : await openPglite(target);

function pausingAfterEvents(tx: Queryable): Queryable {
  return {
    async query(sql, params) {
      const result = await tx.query(sql, params);
      if (/insert\s+into\s+events\s/i.test(sql)) {
        process.stdout.write("inside\n");
        await new Promise(() => {}); // never resolves: the parent kills us here
      }
      return result;
    },
    exec: (sql) => tx.exec(sql),
  } as Queryable;
}

const watched: Db = { ...db, transaction: (fn) => db.transaction((tx) => fn(pausingAfterEvents(tx))) };
const now = new Date();
await ingestEvents(watched, { userId }, openProfileEvents(ids, now), now);
process.stdout.write("done\n");
await db.close();
