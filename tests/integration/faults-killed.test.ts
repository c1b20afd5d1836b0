import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { migrate } from "../../lib/db/migrate";
import { ingestEvents } from "../../lib/events/ingest";
import { openPglite } from "../../lib/db/pglite";
import { openPostgres } from "../../lib/db/postgres";
import type { Db } from "../../lib/db/types";
import { createUser } from "../../lib/users/create";
import { activeDrivers } from "../helpers/drivers";
import { createTestDatabase } from "../helpers/pg-admin";
import { openProfileEvents } from "../helpers/open-profile-events";
import { openMigratedPglite } from "../helpers/pglite-template";

/**
 * Runs the import child and SIGKILLs it once it says it is inside the import's transaction with
 * the person's favorites written (and holding it open); resolves with its output.
 */
function importKilled(target: string, userId: string, rows: number): Promise<string> {
  return childKilled("tests/helpers/import-child.ts", [target, userId, String(rows)]);
}

/** The same for a batch of events (tests/helpers/events-child.ts), killed with its events written. */
function eventsKilled(target: string, userId: string, ids: string[]): Promise<string> {
  return childKilled("tests/helpers/events-child.ts", [target, userId, JSON.stringify(ids)]);
}

function childKilled(script: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const exited = new Promise((r) => child.once("exit", r));
  child.stdout.on("data", (d) => {
    out += d;
    if (out.includes("inside")) child.kill("SIGKILL");
  });
  child.stderr.on("data", (d) => (out += d));
  return exited.then(() => out);
}

// Each driver's database is a file the child opens itself: PGlite a data directory, PostgreSQL a
// database of this suite's own (the child's connection dies with it; the server rolls back).
for (const driver of activeDrivers()) {
  describe(`the process killed mid-import and mid-events [${driver}]`, () => {
    vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
    let drop: (() => Promise<void>) | undefined;
    afterAll(async () => drop?.());

    it("leaves none of the person's favorites behind, and no event or receipt of a batch (a retry is taken whole)", async () => {
      let target: string;
      let open: () => Promise<Db>;
      if (driver === "postgres") {
        const created = await createTestDatabase(process.env.TEST_DATABASE_URL!, "template");
        drop = created.drop;
        target = created.url;
        open = async () => openPostgres(created.url, { max: 2 });
      } else {
        target = join(mkdtempSync(join(tmpdir(), "mesh-killed-")), "pglite");
        open = () => openPglite(target);
      }
      // A migrated copy for PGlite (creating and migrating a data directory on disk takes far longer).
      let db = driver === "pglite" ? await openMigratedPglite(target) : await open();
      await migrate(db);
      const userId = await createUser(db, { displayName: "Kim" });
      // PGlite's data directory has one owner at a time.
      if (driver === "pglite") await db.close();

      const out = await importKilled(target, userId, 2_000);
      expect(out).toContain("inside"); // killed with the favorites written, uncommitted
      expect(out).not.toContain("done");

      if (driver === "pglite") db = await open();
      const [{ n: favorites }] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM favorite_items WHERE user_id = $1",
        [userId],
      );
      expect(favorites).toBe(0);
      // Titles are the shared catalogue, resolved in short transactions of their own before the
      // person's favorites are written in one (so concurrent imports never deadlock): a kill may
      // leave new catalogue titles, never a favorite.
      if (driver === "pglite") await db.close();

      // Events: killed with the batch written inside its transaction (receipts, quota and events).
      const ids = Array.from({ length: 200 }, () => randomUUID());
      const killed = await eventsKilled(target, userId, ids);
      expect(killed).toContain("inside");
      expect(killed).not.toContain("done");
      if (driver === "pglite") db = await open();
      const [left] = await db.query<{ events: number; receipts: number }>(
        `SELECT (SELECT count(*)::int FROM events WHERE user_id = $1 AND event_id IS NOT NULL) AS events,
                (SELECT count(*)::int FROM event_receipts WHERE subject = $2) AS receipts`,
        [userId, `u:${userId}`],
      );
      expect(left).toEqual({ events: 0, receipts: 0 });
      // So the client's retry of the same batch is taken whole, not refused as duplicates.
      const now = new Date();
      const retried = await ingestEvents(db, { userId }, openProfileEvents(ids, now), now);
      expect(retried).toMatchObject({ accepted: 200, duplicates: 0 });
      await db.close();
    });
  });
}
