import type { Db } from "../db/types";
import { COMMUNITIES } from "./communities";
import { Rng } from "../random";

/** Live rooms in the demo data: two per community, each with a few of its people inside. */
const ROOMS_PER_COMMUNITY = 2;

/**
 * Opens live demo rooms: per community, rooms hosted by one of its people with 3-8 of them inside
 * (joined within the last hour), titled after the community's taste, one of them in Spanish.
 * Their taste follows the people inside once taste vectors are computed (the rooms migration's
 * triggers). Does nothing when there are no demo people.
 */
export async function seedDemoRooms(db: Db, seed: number): Promise<number> {
  const rng = new Rng(seed);
  let opened = 0;
  for (const community of COMMUNITIES) {
    const members = await db.query<{ id: string }>(
      `SELECT id::text FROM auth.users WHERE raw_user_meta_data ->> 'demo_community' = $1 ORDER BY id LIMIT 40`,
      [community.key],
    );
    if (members.length < 4) continue;
    for (let i = 0; i < ROOMS_PER_COMMUNITY; i++) {
      const people = rng.sample(
        members.map((m) => m.id),
        Math.min(members.length, rng.int(3, 8)),
      );
      const spanish = i === 1;
      const title = spanish
        ? `Charla: ${community.label} (${rng.pick(community.themes)})`
        : `${community.label[0].toUpperCase()}${community.label.slice(1)} night: ${rng.pick(community.themes)}`;
      const [room] = await db.query<{ id: string }>(
        `INSERT INTO rooms (host_id, title, tags, language, opened_at)
         VALUES ($1, $2, $3::text[], $4, now() - make_interval(mins => $5)) RETURNING id`,
        [people[0], title, [community.key, ...rng.sample(community.themes, 2)], spanish ? "es" : "en", rng.int(5, 90)],
      );
      await db.query(
        `INSERT INTO room_attendees (room_id, user_id, joined_at)
         SELECT $1, u, now() - make_interval(mins => (random() * 60)::int) FROM unnest($2::uuid[]) AS u`,
        [room.id, people],
      );
      opened++;
    }
  }
  return opened;
}
