import { openPostgres } from "../lib/db/postgres";
import type { Db } from "../lib/db/types";
import { ActiveTasteIndex } from "../lib/rooms/active-index";
import { MIN_INVITE_COSINE } from "../lib/rooms/config";
import { candidatesFromDatabase, peopleToInvite, roomTaste } from "../lib/rooms/invite";
import { suggestRooms } from "../lib/rooms/suggest";
import { summarise, timed, type Latency } from "./lib/stats";

export interface RoomsBenchResult {
  driver: "postgres";
  users: number;
  active: number;
  rooms: number;
  loadSeconds: number | null;
  indexLoadMs: number;
  /** The in-process exact scan alone / the whole endpoint served from it. */
  indexScanMs: Latency;
  inviteIndexMs: Latency;
  /** pgvector's exact scan of the active people alone / the whole endpoint served by it. */
  sqlScanMs: Latency;
  inviteSqlMs: Latency;
  /** Mean people returned per request (index, database). */
  meanPeople: { index: number; database: number };
  rankMs: Latency;
}

const CLUSTERS = 64;
const PER_ROOM = 5;

/**
 * Loads the bench data server-side (no vectors over the wire): `users` people with taste vectors
 * in 64 clusters (a centre plus noise: members of a cluster have cosine ~0.77), `active` of them
 * seen within the last 14 minutes, and `rooms` live rooms of 5 people of one cluster each (joined
 * two hours ago, so joins do not make them active). Reused when the same sizes are loaded.
 */
async function load(db: Db, users: number, active: number, rooms: number): Promise<number | null> {
  const marker = `rooms-bench ${users} ${active} ${rooms}`;
  const [m] = await db.query<{ c: string | null }>(`SELECT obj_description('public.rooms'::regclass, 'pg_class') AS c`);
  if (m.c === marker) {
    // Reused data: who is active was relative to the load; make them seen 0-14 minutes ago again.
    await db.exec(`UPDATE behaviour_recent SET updated_at = now() - make_interval(secs => random() * 840)`);
    return null;
  }
  const start = performance.now();
  await db.exec(`TRUNCATE rooms, behaviour_recent, user_taste_vectors, blocks, feedback CASCADE;
    DELETE FROM auth.users;
    -- Neither invite path nor the rooms list reads the people HNSW index, and keeping it up to date
    -- through a million inserts would take most of an hour on two cores: the bench database drops it.
    DROP INDEX IF EXISTS user_taste_vectors_taste_hnsw;
    DROP TABLE IF EXISTS bench_centres;
    CREATE TABLE bench_centres AS SELECT c AS id,
      (SELECT array_agg(random() - 0.5) FROM generate_series(1, 256) WHERE c >= 0)::vector(256) AS v
    FROM generate_series(0, ${CLUSTERS - 1}) c;`);
  for (let done = 0; done < users; done += 100_000) {
    const n = Math.min(100_000, users - done);
    await db.exec(`INSERT INTO auth.users (id, raw_user_meta_data)
      SELECT gen_random_uuid(), jsonb_build_object('display_name', 'bench ' || (${done} + g))
      FROM generate_series(1, ${n}) g`);
    process.stdout.write(`  users ${done + n}/${users}\r`);
  }
  await db.exec(`
    CREATE TEMP TABLE bench_people AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM auth.users;
    CREATE INDEX ON bench_people (n);
    ANALYZE bench_people;`);
  for (let done = 0; done < users; done += 50_000) {
    await db.exec(`INSERT INTO user_taste_vectors (user_id, taste, model_version)
      SELECT p.id, c.v + (SELECT array_agg((random() - 0.5) * 0.55) FROM generate_series(1, 256) WHERE p.n > 0)::vector(256), 'bench'
      FROM bench_people p JOIN bench_centres c ON c.id = p.n % ${CLUSTERS}
      WHERE p.n > ${done} AND p.n <= ${done + 50_000}`);
    process.stdout.write(`  vectors ${Math.min(done + 50_000, users)}/${users}\r`);
  }
  // Active: every (users / active)-th person, seen 0-14 minutes ago.
  const step = Math.max(1, Math.floor(users / active));
  await db.exec(`INSERT INTO behaviour_recent (user_id, updated_at)
    SELECT id, now() - make_interval(secs => random() * 840) FROM bench_people WHERE n % ${step} = 0 LIMIT ${active}`);
  // Rooms: hosts and attendees among the inactive, one cluster per room.
  await db.exec(`
    INSERT INTO rooms (host_id, title, opened_at)
    SELECT id, 'room ' || n, now() - make_interval(mins => (random() * 180)::int)
    FROM bench_people WHERE n % ${PER_ROOM * 3} = 1 ORDER BY n LIMIT ${rooms};
    INSERT INTO room_attendees (room_id, user_id, joined_at)
    SELECT r.id, p.id, now() - interval '2 hours' FROM rooms r
    JOIN bench_people h ON h.id = r.host_id
    JOIN bench_people p ON p.n IN (h.n, h.n + ${CLUSTERS}, h.n + ${2 * CLUSTERS}, h.n + ${3 * CLUSTERS}, h.n + ${4 * CLUSTERS})
    ON CONFLICT DO NOTHING;
    DROP TABLE bench_people;`);
  for (const table of ["user_taste_vectors", "behaviour_recent", "room_attendees", "rooms", "room_tastes", "profiles"])
    await db.exec(`VACUUM ANALYZE ${table}`);
  await db.exec(`COMMENT ON TABLE rooms IS '${marker}'`);
  return (performance.now() - start) / 1000;
}

export async function runRoomsBench(
  url: string,
  options: { users: number; active: number; rooms: number; requests: number },
): Promise<RoomsBenchResult> {
  const db = openPostgres(url, { max: 2 });
  try {
    const loadSeconds = await load(db, options.users, options.active, options.rooms);
    const [{ n: rooms }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM rooms WHERE closed_at IS NULL`,
    );
    const sample = await db.query<{ id: string; host_id: string }>(
      `SELECT id, host_id FROM rooms WHERE closed_at IS NULL ORDER BY md5(id::text) LIMIT $1`,
      [options.requests],
    );
    const index = new ActiveTasteIndex(db);
    const [, indexLoadMs] = await timed(() => index.refresh());
    console.log(`  index: ${index.size} active people loaded in ${Math.round(indexLoadMs)} ms`);

    const indexScan: number[] = [];
    const sqlScan: number[] = [];
    for (const room of sample) {
      const taste = (await roomTaste(db, room.id))!;
      let t = performance.now();
      index.search(taste, 50, MIN_INVITE_COSINE);
      indexScan.push(performance.now() - t);
      t = performance.now();
      await candidatesFromDatabase(db, taste, 50, Date.now());
      sqlScan.push(performance.now() - t);
    }

    const endpoint = async (mode: "on" | "off") => {
      process.env.MESH_ROOMS_INVITE_INDEX = mode;
      const samples: number[] = [];
      let people = 0;
      for (const room of sample) {
        const [answer, ms] = await timed(() =>
          peopleToInvite(db, room.host_id, room.id, { limit: 10, locale: "en", acceptLanguage: null }),
        );
        samples.push(ms);
        people += answer.people.length;
      }
      return { latency: summarise(samples), mean: Math.round((people / sample.length) * 10) / 10 };
    };
    // The endpoint keeps its own per-process index for this database; warm it first.
    process.env.MESH_ROOMS_INVITE_INDEX = "on";
    await peopleToInvite(db, sample[0].host_id, sample[0].id, { limit: 10, locale: "en", acceptLanguage: null });
    const { activeIndexFor } = await import("../lib/rooms/active-index");
    await activeIndexFor(db).refresh();
    const withIndex = await endpoint("on");
    const withSql = await endpoint("off");

    const viewers = await db.query<{ user_id: string }>(
      `SELECT user_id FROM behaviour_recent ORDER BY md5(user_id::text) LIMIT $1`,
      [options.requests],
    );
    const rank: number[] = [];
    for (const v of viewers) {
      const [, ms] = await timed(() => suggestRooms(db, v.user_id, { limit: 20, locale: "en", acceptLanguage: null }));
      rank.push(ms);
    }
    return {
      driver: "postgres",
      users: options.users,
      active: options.active,
      rooms,
      loadSeconds,
      indexLoadMs: Math.round(indexLoadMs),
      indexScanMs: summarise(indexScan),
      inviteIndexMs: withIndex.latency,
      sqlScanMs: summarise(sqlScan),
      inviteSqlMs: withSql.latency,
      meanPeople: { index: withIndex.mean, database: withSql.mean },
      rankMs: summarise(rank),
    };
  } finally {
    delete process.env.MESH_ROOMS_INVITE_INDEX;
    await db.close();
  }
}
