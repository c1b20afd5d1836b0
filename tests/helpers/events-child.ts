// A process to be killed mid-events (tests/integration/faults-killed.test.ts): opens the database
// (a postgres URL, or a PGlite data directory), ingests a batch of events for one person with the
// ids given, and once the events are written inside the ingest's open transaction (receipts and
// quota before them), says "inside" and holds the transaction open until it is killed (or says
// "done" if it ever gets that far). Run with tsx.
import { ingestEvents } from "../../lib/events/ingest";
import { openProfileEvents } from "./open-profile-events";
import { openTarget, pausingAfterInsertInto } from "./pause-after-write";

const [target, userId, idsJson] = process.argv.slice(2);
const ids = JSON.parse(idsJson) as string[];
const db = await openTarget(target);

const watched = pausingAfterInsertInto(db, "events");
const now = new Date();
await ingestEvents(watched, { userId }, openProfileEvents(ids, now), now);
process.stdout.write("done\n");
await db.close();
