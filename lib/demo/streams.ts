import type { Db } from "../db/types";
import { Rng } from "../random";

/** Where demo streams are broadcast from: the demo cities and towns near them (gazetteer labels). */
const PLACES = [
  { city: "London, GB", lat: 51.51, lon: -0.13, language: "en" },
  { city: "Reading, GB", lat: 51.46, lon: -0.97, language: "en" },
  { city: "Madrid, ES", lat: 40.42, lon: -3.7, language: "es" },
  { city: "Toledo, ES", lat: 39.86, lon: -4.03, language: "es" },
  { city: "Mexico City, MX", lat: 19.43, lon: -99.13, language: "es" },
  { city: "Puebla, MX", lat: 19.04, lon: -98.2, language: "es" },
  { city: "New York City, US", lat: 40.71, lon: -74.01, language: "en" },
  { city: "Newark, US", lat: 40.74, lon: -74.17, language: "en" },
  { city: "Berlin, DE", lat: 52.52, lon: 13.41, language: "en" },
  { city: "Potsdam, DE", lat: 52.4, lon: 13.07, language: "en" },
  { city: "Buenos Aires, AR", lat: -34.61, lon: -58.38, language: "es" },
  { city: "La Plata, AR", lat: -34.92, lon: -57.95, language: "es" },
];

export const STREAM_CATEGORIES = ["music", "gaming", "cooking", "talk", "art", "sports", "travel", "tech"] as const;

const TITLES: Record<(typeof STREAM_CATEGORIES)[number], string[]> = {
  music: ["Late-night jazz", "Guitar covers", "Vinyl digging", "Jam session"],
  gaming: ["Speedrun practice", "Retro RPG marathon", "Ranked grind", "Indie first look"],
  cooking: ["Sunday stew", "Street food tour", "Bread from scratch", "Tapas night"],
  talk: ["Morning coffee chat", "Film club", "Ask me anything", "Book talk"],
  art: ["Watercolour city", "Pixel art", "Sketching live", "Pottery wheel"],
  sports: ["Five-a-side", "Morning run", "Climbing gym", "Chess blitz"],
  travel: ["Walking the old town", "Market walk", "Night bus", "Riverside stroll"],
  tech: ["Building a synth", "Rust from zero", "Home lab", "Fixing old phones"],
};

/** Streams per demo user (about 1.5), at least 60 and at most 3,000: a few thousand at the default 2,000 users. */
export const demoStreamCount = (users: number) => Math.max(60, Math.min(3000, Math.round(users * 1.5)));

/**
 * Demo live streams: broadcast by demo people from the demo cities and nearby towns, about a third
 * live now and the rest ended in the last week, with a power-law popularity (viewer counts from a
 * Pareto draw, so a few streams hold most viewers). Some demo people get stream preferences and
 * follow a few creators. Does nothing when there are no demo people.
 */
export async function seedDemoStreams(db: Db, users: number, seed: number): Promise<number> {
  const rng = new Rng(seed + 23);
  const people = (
    await db.query<{ id: string }>(`SELECT user_id::text AS id FROM profiles WHERE is_demo ORDER BY 1`)
  ).map((p) => p.id);
  if (people.length < 2) return 0;
  const creators = rng.sample(people, Math.max(2, Math.round(people.length * 0.4)));
  const rows = Array.from({ length: demoStreamCount(users) }, () => {
    const place = rng.pick(PLACES);
    const category = rng.pick(STREAM_CATEGORIES);
    const live = rng.chance(0.35);
    const minutesAgo = live ? rng.int(1, 240) : rng.int(300, 7 * 24 * 60);
    // Pareto (alpha 1.2, minimum 3), capped: the power law of live-stream audiences.
    const viewers = Math.min(50_000, Math.floor(3 / (1 - rng.next()) ** (1 / 1.2)));
    return {
      creator_id: rng.pick(creators),
      title: rng.pick(TITLES[category]),
      category,
      language: rng.chance(0.85) ? place.language : place.language === "es" ? "en" : "es",
      city: place.city,
      lat: place.lat,
      lon: place.lon,
      live_since: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      ended_at: live ? null : new Date(Date.now() - (minutesAgo - rng.int(20, 280)) * 60_000).toISOString(),
      quality_score: Math.round((0.3 + 0.7 * rng.next()) * 100) / 100,
      viewer_count: live ? viewers : 0,
      peak_viewers: viewers,
      partnered: viewers > 200 && rng.chance(0.6),
      mature: rng.chance(0.05),
    };
  });
  await db.query(
    `INSERT INTO streams (creator_id, title, category, language, city, lat, lon, live_since, ended_at, quality_score,
                          viewer_count, peak_viewers, partnered, mature)
     SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS t(creator_id uuid, title text, category text, language text,
       city text, lat float8, lon float8, live_since timestamptz, ended_at timestamptz, quality_score real,
       viewer_count int, peak_viewers int, partnered boolean, mature boolean)`,
    [JSON.stringify(rows)],
  );
  const fans = rng.sample(people, Math.round(people.length * 0.5));
  const prefs = fans.map((id) => ({
    user_id: id,
    categories: rng.sample(STREAM_CATEGORIES, rng.int(1, 3)),
    local_strength: Math.round(rng.next() * 100) / 100,
    mature_allowed: rng.chance(0.2),
  }));
  const follows = fans.flatMap((id) =>
    rng
      .sample(creators, rng.int(1, 4))
      .filter((c) => c !== id)
      .map((c) => ({ user_id: id, creator_id: c })),
  );
  await db.query(
    `INSERT INTO stream_preferences (user_id, categories, local_strength, mature_allowed)
     SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS t(user_id uuid, categories text[], local_strength real,
       mature_allowed boolean)`,
    [JSON.stringify(prefs)],
  );
  await db.query(
    `INSERT INTO follows (user_id, creator_id)
     SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS t(user_id uuid, creator_id uuid) ON CONFLICT DO NOTHING`,
    [JSON.stringify(follows)],
  );
  return rows.length;
}
