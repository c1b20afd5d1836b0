import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as candidatesRoute } from "../../app/api/v2/discovery/candidates/route";
import { POST as eventsRoute } from "../../app/api/v2/events/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { migrate } from "../../lib/db/migrate";
import { openPostgres } from "../../lib/db/postgres";
import type { Db } from "../../lib/db/types";
import { createUser } from "../../lib/users/create";
import { openProfileEvents } from "../helpers/open-profile-events";
import { serveRoutesFrom } from "../helpers/route-db";
import {
  startThrowawayPostgres,
  throwawayPostgresAvailable,
  type ThrowawayPostgres,
} from "../helpers/throwaway-postgres";

const SECRET = "faults-test-secret-of-sufficient-length";

// Stopping, starting and locking a cluster: on a cluster of this suite's own, never the shared one.
describe.runIf(throwawayPostgresAvailable())("the database going away (PostgreSQL of its own)", () => {
  vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });
  let pg: ThrowawayPostgres;
  let db: Db;
  let restore: () => void;
  let viewer = "";
  let token = "";

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    pg = await startThrowawayPostgres();
    // The server's pool as getDb() opens it, with a short statement timeout to keep the test quick.
    db = openPostgres(pg.url, { max: 4, statementTimeoutMs: 1_000 });
    await migrate(db);
    viewer = await createUser(db, { displayName: "Vera" });
    const others = [];
    for (const name of ["Ana", "Bo", "Cai", "Dee", "Eli"]) others.push(await createUser(db, { displayName: name }));
    // Everyone in one spot: the nearby fallback finds the others without any batch.
    await db.query("UPDATE profiles SET lat = 40.4168, lon = -3.7038 WHERE user_id = ANY($1::uuid[])", [
      [viewer, ...others],
    ]);
    token = await signAccessToken(viewer);
    restore = serveRoutesFrom(db);
  });
  afterAll(async () => {
    restore?.();
    vi.unstubAllEnvs();
    await db?.close();
    pg?.destroy();
  });

  const candidates = (limit: number) =>
    candidatesRoute(
      new Request(`http://localhost/api/v2/discovery/candidates?limit=${limit}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
  const sendEvents = (ids: string[]) =>
    eventsRoute(
      new Request("http://localhost/api/v2/events", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ events: openProfileEvents(ids, new Date()) }),
      }),
    );
  const expectUnavailable = async (res: Response) => {
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("database_unavailable");
  };
  type Page = { candidates: { userId: string }[]; stale: boolean; cached: boolean };

  it("stopped: the page a viewer was shown comes back marked stale, the rest is 503 + Retry-After, never 500; it recovers by itself and keeps exactly the answered writes", async () => {
    const first = await candidates(3);
    expect(first.status).toBe(200);
    const shown = (await first.json()) as Page & { requestId: string };
    expect(shown.stale).toBe(false);
    expect(shown.candidates).toHaveLength(3);
    const before = [randomUUID(), randomUUID()];
    expect((await sendEvents(before)).status).toBe(202);

    pg.stop();
    // Within the recheck window the page just confirmed is served from memory as it is: no
    // database needed. It is the same impression as the first serve: the same request id.
    const within = await candidates(3);
    expect(within.status).toBe(200);
    const remembered = (await within.json()) as Page & { requestId: string };
    expect(remembered.stale).toBe(false);
    expect(remembered.requestId).toBe(shown.requestId);
    expect(remembered.candidates.map((c) => c.userId)).toEqual(shown.candidates.map((c) => c.userId));
    // Past the window the database is asked, and is away: the same page, marked stale.
    process.env.MESH_PAGE_RECHECK_MS = "0";
    try {
      const again = await candidates(3);
      expect(again.status).toBe(200);
      const stale = (await again.json()) as Page;
      expect(stale.stale).toBe(true);
      expect(stale.candidates.map((c) => c.userId)).toEqual(shown.candidates.map((c) => c.userId));
    } finally {
      delete process.env.MESH_PAGE_RECHECK_MS;
    }
    await expectUnavailable(await candidates(2)); // a page never shown: nothing to fall back on
    const during = [randomUUID()];
    await expectUnavailable(await sendEvents(during));

    pg.start();
    // The same pool, no restart: it reconnects on its own.
    await expect.poll(async () => (await candidates(2)).status, { timeout: 30_000, interval: 250 }).toBe(200);
    const fresh = (await (await candidates(3)).json()) as Page;
    expect(fresh.stale).toBe(false);
    const after = [randomUUID()];
    expect((await sendEvents(after)).status).toBe(202);
    // The page's impressions were logged once, by its first serve, and not again while it was
    // served from memory.
    const logged = await db.query<{ target_id: string }>(
      "SELECT target_id FROM events WHERE kind = 'impression' AND payload ->> 'requestId' = $1 ORDER BY value",
      [remembered.requestId],
    );
    expect(logged.map((r) => r.target_id)).toEqual(shown.candidates.map((c) => c.userId));

    const stored = await db.query<{ event_id: string }>(
      "SELECT event_id::text FROM events WHERE user_id = $1 AND event_id IS NOT NULL",
      [viewer],
    );
    expect(stored.map((r) => r.event_id).sort()).toEqual([...before, ...after].sort());
  });

  it("held up by another session's lock: the statement timeout fires and the request degrades the same way", async () => {
    const shown = (await (await candidates(4)).json()) as Page;
    expect(shown.stale).toBe(false);
    process.env.MESH_PAGE_RECHECK_MS = "0"; // every request asks the database (and meets the lock)
    const other = postgres(pg.url, { max: 1, onnotice: () => {} });
    const locker = await other.reserve();
    try {
      await locker.unsafe("BEGIN");
      await locker.unsafe("LOCK TABLE slate_cache IN ACCESS EXCLUSIVE MODE");
      const held = await candidates(4);
      expect(held.status).toBe(200);
      const page = (await held.json()) as Page;
      expect(page.stale).toBe(true);
      expect(page.candidates.map((c) => c.userId)).toEqual(shown.candidates.map((c) => c.userId));
      await expectUnavailable(await candidates(5));
    } finally {
      await locker.unsafe("ROLLBACK");
      locker.release();
      await other.end();
      delete process.env.MESH_PAGE_RECHECK_MS;
    }
    expect(((await (await candidates(4)).json()) as Page).stale).toBe(false);
  });
});
