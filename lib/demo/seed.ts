import type { Db, Queryable } from "../db/types";
import { normalizeTitle } from "../media/normalize";
import { ageBandOn } from "../profiles/age-band";
import { COMMUNITIES, CITIES, FIRST_NAMES, SHARED_HOBBIES } from "./communities";
import { generateCatalogue, type DemoTitle } from "./catalogue";
import { Rng } from "../random";
import { seedDemoRooms } from "./rooms";
import { seedDemoShop } from "./shop";
import { seedDemoStreams } from "./streams";

export interface SeedOptions {
  users: number;
  seed?: number;
  /** Also the demo shop (2,400 products and the people's shopping events): `npm run dev` and `npm run seed`. */
  shop?: boolean;
  /** Called after each batch with (done, total) users. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  users: number;
  titles: number;
  favorites: number;
  rooms: number;
  /** Live and ended demo streams (issue 23). */
  streams: number;
}

const BATCH = 1000;

/** Titles per community and media type: enough variety for the number of users. */
function catalogueSize(users: number) {
  const films = Math.max(40, Math.min(1500, Math.round(users / 12)));
  return { film: films, book: Math.round(films * 0.8), music: films };
}

/** Index skewed toward the front, so a few titles per community are popular (as in real data). */
function skewedIndex(rng: Rng, length: number): number {
  return Math.floor(length * rng.next() ** 2);
}

async function insertCatalogue(db: Db, titles: DemoTitle[]): Promise<void> {
  for (let i = 0; i < titles.length; i += BATCH) {
    const chunk = titles.slice(i, i + BATCH);
    await db.query(
      `INSERT INTO canonical_media (id, media_type, title, year, metadata, fetched_at)
       SELECT id, media_type, title, year, metadata::jsonb, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS t(id, media_type, title, year, metadata)
       ON CONFLICT (id) DO NOTHING`,
      [
        chunk.map((t) => t.id),
        chunk.map((t) => t.mediaType),
        chunk.map((t) => t.title),
        chunk.map((t) => t.year),
        chunk.map((t) => JSON.stringify(t.metadata)),
      ],
    );
    await db.query(
      `INSERT INTO media_aliases (alias_norm, media_id)
       SELECT alias, id FROM unnest($1::text[], $2::text[]) AS t(id, alias)
       ON CONFLICT DO NOTHING`,
      [chunk.map((t) => t.id), chunk.map((t) => normalizeTitle(t.title))],
    );
  }
}

interface DemoUser {
  id: string;
  community: string;
  favorites: { mediaId: string; rating: number; liked: boolean; addedAt: string }[];
}

/**
 * Creates demo users with profiles and favorites, and live rooms with some of them inside, in batches, each batch one transaction. Every
 * user belongs to a planted taste community (recorded in auth.users.raw_user_meta_data as
 * demo_community, for evaluation only) and draws most favorites from it.
 */
export async function seedDemo(db: Db, options: SeedOptions): Promise<SeedResult> {
  const rng = new Rng(options.seed ?? Date.now());
  const titles = generateCatalogue(catalogueSize(options.users), options.seed ?? 42);
  await insertCatalogue(db, titles);
  const byCommunity = new Map<string, DemoTitle[]>();
  for (const t of titles) byCommunity.set(t.community, [...(byCommunity.get(t.community) ?? []), t]);

  let favorites = 0;
  const now = Date.now();
  for (let done = 0; done < options.users;) {
    const n = Math.min(BATCH, options.users - done);
    const users: DemoUser[] = [];
    const profiles: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const community = rng.pick(COMMUNITIES);
      const secondary = rng.chance(0.25) ? rng.pick(COMMUNITIES) : null;
      const own = byCommunity.get(community.key)!;
      const picked = new Map<string, DemoUser["favorites"][number]>();
      const count = rng.int(8, 40);
      for (let k = 0; k < count * 2 && picked.size < count; k++) {
        const roll = rng.next();
        const pool = roll < 0.8 ? own : roll < 0.92 && secondary ? byCommunity.get(secondary.key)! : titles;
        const title = pool === titles ? rng.pick(titles) : pool[skewedIndex(rng, pool.length)];
        const inTaste = title.community === community.key;
        const rating = (inTaste ? rng.int(7, 10) : rng.int(4, 9)) / 2;
        picked.set(title.id, {
          mediaId: title.id,
          rating,
          liked: rating >= 4.5 && rng.chance(0.5),
          addedAt: new Date(now - rng.int(0, 3 * 365) * 86_400_000).toISOString(),
        });
      }
      const city = rng.pick(CITIES);
      const spanish = ["Madrid", "Mexico City", "Buenos Aires"].includes(city.name);
      const id = crypto.randomUUID();
      users.push({ id, community: community.key, favorites: [...picked.values()] });
      profiles.push({
        user_id: id,
        display_name: `${rng.pick(FIRST_NAMES)} ${String.fromCharCode(65 + rng.int(0, 25))}.`,
        // Three draws as when a birthday was stored, so the rest of the seeded data stays the same.
        age_band: ageBandOn(new Date(Date.UTC(2026, 0, 1)), {
          year: rng.int(1962, 2005),
          month: rng.int(1, 12),
          day: rng.int(1, 28),
        }),
        lat: city.lat + (rng.next() - 0.5) * 0.2,
        lon: city.lon + (rng.next() - 0.5) * 0.2,
        city: city.name,
        hobbies: [...rng.sample(community.hobbies, 2), ...rng.sample(SHARED_HOBBIES, rng.int(0, 2))],
        communities: rng.chance(0.7) ? [rng.pick(community.groups)] : [],
        locale: spanish && rng.chance(0.8) ? "es" : "en",
      });
    }
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO auth.users (id, raw_user_meta_data)
         SELECT id, jsonb_build_object('display_name', name, 'demo_community', community)
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, name, community)`,
        [users.map((u) => u.id), profiles.map((p) => p.display_name as string), users.map((u) => u.community)],
      );
      await tx.query(
        `UPDATE profiles p SET age_band = t.age_band, onboarded_at = now(), lat = t.lat, lon = t.lon, city = t.city,
           hobbies = t.hobbies, communities = t.communities, locale = t.locale, is_demo = true
         FROM jsonb_to_recordset($1::text::jsonb) AS t(user_id uuid, age_band text, lat float8, lon float8,
           city text, hobbies text[], communities text[], locale text)
         WHERE p.user_id = t.user_id`,
        [JSON.stringify(profiles)],
      );
      const rows = users.flatMap((u) => u.favorites.map((f) => ({ user_id: u.id, ...f })));
      await tx.query(
        `INSERT INTO favorite_items (user_id, media_id, source, rating, liked, added_at)
         SELECT user_id, "mediaId", 'demo', rating, liked, "addedAt"
         FROM jsonb_to_recordset($1::text::jsonb) AS t(user_id uuid, "mediaId" text, rating numeric, liked boolean, "addedAt" timestamptz)`,
        [JSON.stringify(rows)],
      );
      favorites += rows.length;
      await declareAuditGroups(
        tx,
        users.map((u) => u.id),
      );
    });
    done += n;
    options.onProgress?.(done, options.users);
  }
  const rooms = await seedDemoRooms(db, options.seed ?? 42);
  if (options.shop) await seedDemoShop(db, options.seed ?? 42);
  const streams = await seedDemoStreams(db, options.users, options.seed ?? 42);
  // Planner statistics for what was just loaded: PGlite has no autovacuum, so without this the
  // embedded database would plan every query on empty-table guesses.
  await db.exec("ANALYZE");
  return { users: options.users, titles: titles.length, favorites, rooms, streams };
}

/**
 * About 70% of demo people declare an audit group (the self-declared attribute, as a person would
 * on the privacy page), "b" for about 40% of them and "a" for the rest, both picked from a hash of
 * the id: the offline evaluation gives everyone else a group by the same hash, so its figures do
 * not depend on who declared.
 */
async function declareAuditGroups(db: Queryable, ids: string[]): Promise<void> {
  await db.query(
    `INSERT INTO fairness_audit_attributes (user_id, audit_group)
     SELECT id, CASE WHEN ('x' || substr(md5(id::text), 1, 8))::bit(32)::bigint % 1000 < 400 THEN 'b' ELSE 'a' END
     FROM unnest($1::uuid[]) AS id
     WHERE ('x' || substr(md5(id::text), 9, 8))::bit(32)::bigint % 10 < 7`,
    [ids],
  );
}

/** True when demo users already exist (the embedded mode seeds only once). */
export async function hasDemoData(db: Db): Promise<boolean> {
  const rows = await db.query<{ present: boolean }>("SELECT EXISTS (SELECT 1 FROM profiles WHERE is_demo) AS present");
  return rows[0].present;
}
