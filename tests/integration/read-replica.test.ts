import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as candidatesRoute } from "../../app/api/v2/discovery/candidates/route";
import { POST as feedbackRoute } from "../../app/api/v2/discovery/feedback/route";
import { GET as whyRoute } from "../../app/api/v2/discovery/why/[targetId]/route";
import { GET as searchRoute } from "../../app/api/v2/media/search/route";
import { POST as manualFavoriteRoute } from "../../app/api/v2/favorites/manual/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { migrate } from "../../lib/db/migrate";
import { READ_AFTER_HEADER } from "../../lib/http/read-after";
import { openPostgres } from "../../lib/db/postgres";
import { readSplit } from "../../lib/db/read-split";
import type { Db } from "../../lib/db/types";
import { createUser } from "../../lib/users/create";
import { serveRoutesFrom } from "../helpers/route-db";
import {
  startThrowawayPostgres,
  throwawayPostgresAvailable,
  type ThrowawayPostgres,
} from "../helpers/throwaway-postgres";

const SECRET = "replica-test-secret-of-sufficient-length";
const holder = globalThis as unknown as { __meshReadDb?: Promise<Db> };

// A streaming replica needs a primary of its own to copy: both on throwaway clusters, never the
// shared test cluster. Replay is paused to make the replica visibly behind.
describe.runIf(throwawayPostgresAvailable())("reads on a streaming replica (PostgreSQL of its own)", () => {
  vi.setConfig({ testTimeout: 60_000, hookTimeout: 180_000 });
  let pg: ThrowawayPostgres;
  let replica: Omit<ThrowawayPostgres, "startReplica">;
  let primary: Db;
  let replicaDb: Db;
  let replicaAdmin: postgres.Sql;
  let restore: () => void;
  const people: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    pg = await startThrowawayPostgres();
    primary = openPostgres(pg.url, { max: 4 });
    await migrate(primary);
    for (const name of ["Vera", "Walt", "Ana", "Bo", "Cai", "Dee"])
      people[name] = await createUser(primary, { displayName: name });
    await primary.query("UPDATE profiles SET lat = 40.4168, lon = -3.7038 WHERE user_id = ANY($1::uuid[])", [
      Object.values(people),
    ]);
    for (const name of ["Vera", "Walt"]) tokens[name] = await signAccessToken(people[name]);
    replica = await pg.startReplica();
    replicaDb = openPostgres(replica.url, { max: 4 });
    replicaAdmin = postgres(replica.url, { max: 1, onnotice: () => {} });
    await caughtUp();
    restore = serveRoutesFrom(primary);
    holder.__meshReadDb = Promise.resolve(readSplit(primary, replicaDb));
  });
  afterAll(async () => {
    restore?.();
    holder.__meshReadDb = undefined;
    vi.unstubAllEnvs();
    await replicaAdmin?.end();
    await replicaDb?.close();
    await primary?.close();
    replica?.destroy();
    pg?.destroy();
  });

  /** Waits until the replica has replayed everything the primary has written so far. */
  async function caughtUp() {
    const [{ lsn }] = await primary.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
    const deadline = Date.now() + 20_000;
    while (!(await replicaAdmin.unsafe("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok", [lsn]))[0].ok) {
      if (Date.now() > deadline) throw new Error(`the replica did not reach ${lsn} in 20 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const as = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });
  const search = async (name: string, q: string) => {
    const res = await searchRoute(new Request(`http://localhost/api/v2/media/search?q=${q}`, { headers: as(name) }));
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title);
  };
  const slate = async (name: string) => {
    const res = await candidatesRoute(
      new Request("http://localhost/api/v2/discovery/candidates?limit=10", { headers: as(name) }),
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { candidates: { userId: string }[] }).candidates.map((c) => c.userId);
  };
  const addTitle = (id: string, title: string) =>
    primary.query(
      `WITH m AS (INSERT INTO canonical_media (id, media_type, title, year) VALUES ($1, 'film', $2, 2001) RETURNING id)
       INSERT INTO media_aliases (alias_norm, media_id) SELECT lower($2), id FROM m`,
      [id, title],
    );

  it("serves candidates, why and search from the replica, with what it has replayed, and writes on the primary", async () => {
    await replicaAdmin.unsafe("SELECT pg_wal_replay_pause()");
    try {
      await addTitle("local:replica-test-1", "Zanzibar Nocturne");
      // The replica is behind: a reader who wrote nothing sees its view, not the primary's.
      expect(await search("Walt", "zanzibar")).toEqual([]);
      // Building a slate reads on the replica and stores it on the primary (a replica refuses writes).
      const walts = await slate("Walt");
      expect(walts.length).toBeGreaterThan(0);
      const [{ n }] = await primary.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM slate_cache WHERE viewer_id = $1",
        [people.Walt],
      );
      expect(n).toBe(1);
      const why = await whyRoute(
        new Request(`http://localhost/api/v2/discovery/why/${walts[0]}`, { headers: as("Walt") }),
        {
          params: Promise.resolve({ targetId: walts[0] }),
        },
      );
      expect(why.status).toBe(200);
    } finally {
      await replicaAdmin.unsafe("SELECT pg_wal_replay_resume()");
    }
    await caughtUp();
    expect(await search("Walt", "zanzibar")).toEqual(["Zanzibar Nocturne"]);
  });

  it("after a feedback, the viewer's next slate comes from the primary, not the lagging replica", async () => {
    const before = await slate("Vera");
    expect(before.length).toBeGreaterThan(1);
    await caughtUp();
    await replicaAdmin.unsafe("SELECT pg_wal_replay_pause()");
    try {
      const passed = before[0];
      const res = await feedbackRoute(
        new Request("http://localhost/api/v2/discovery/feedback", {
          method: "POST",
          headers: { ...as("Vera"), "content-type": "application/json" },
          body: JSON.stringify({ targetId: passed, action: "pass" }),
        }),
      );
      expect(res.status).toBe(201);
      // The replica still has no pass (and still has the old slate): reading there would show them again.
      const onReplica = await replicaDb.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM feedback WHERE user_id = $1 AND target_user_id = $2",
        [people.Vera, passed],
      );
      expect(onReplica[0].n).toBe(0);
      const after = await slate("Vera");
      expect(after).not.toContain(passed);
      // Another viewer's reads still go to the replica (it lags: the new title is not there yet).
      await addTitle("local:replica-test-2", "Quixotic Harbour");
      expect(await search("Walt", "quixotic")).toEqual([]);
    } finally {
      await replicaAdmin.unsafe("SELECT pg_wal_replay_resume()");
    }
  });

  it("a write answered by one instance is read on any other: the WAL position it carries keeps reads off a replica that has not replayed it", async () => {
    await caughtUp();
    await replicaAdmin.unsafe("SELECT pg_wal_replay_pause()");
    const searchWith = async (headers: Record<string, string>) => {
      const res = await searchRoute(
        new Request("http://localhost/api/v2/media/search?q=vermilion", { headers: { ...as("Walt"), ...headers } }),
      );
      return {
        status: res.status,
        body: (await res.json()) as { items?: { title: string }[]; error?: { field: string } },
      };
    };
    try {
      const res = await manualFavoriteRoute(
        new Request("http://localhost/api/v2/favorites/manual", {
          method: "POST",
          headers: { ...as("Walt"), "content-type": "application/json" },
          body: JSON.stringify({ title: "Vermilion Causeway", mediaType: "film", year: 2003, rating: 5 }),
        }),
      );
      expect(res.status).toBe(201);
      const lsn = res.headers.get(READ_AFTER_HEADER)!;
      expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(res.headers.get("set-cookie")).toContain(`mesh_read_after=${lsn}`);
      // Another instance never saw the write (no memory of recent writers there).
      process.env.MESH_READ_YOUR_WRITES_MS = "0";
      expect((await searchWith({})).body.items).toEqual([]); // the lagging replica's view
      const titles = (r: Awaited<ReturnType<typeof searchWith>>) => r.body.items?.map((i) => i.title);
      expect(titles(await searchWith({ [READ_AFTER_HEADER]: lsn }))).toEqual(["Vermilion Causeway"]);
      expect(titles(await searchWith({ cookie: `theme=dark; mesh_read_after=${lsn}` }))).toEqual([
        "Vermilion Causeway",
      ]);
      const bad = await searchWith({ [READ_AFTER_HEADER]: "yesterday" });
      expect(bad.status).toBe(400);
      expect(bad.body.error?.field).toBe(READ_AFTER_HEADER);
    } finally {
      delete process.env.MESH_READ_YOUR_WRITES_MS;
      await replicaAdmin.unsafe("SELECT pg_wal_replay_resume()");
    }
    // Once the replica has replayed it, it serves the title to everyone.
    await caughtUp();
    expect(await search("Walt", "vermilion")).toEqual(["Vermilion Causeway"]);
  });
});
