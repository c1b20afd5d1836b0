import type { Db } from "../lib/db/types";
import { hometown } from "../lib/streams/hometown";
import { BASE_WEIGHTS } from "../lib/streams/hometown-score";
import { summarise, timed, type Latency } from "./lib/stats";

export interface HometownBenchResult {
  driver: "pglite" | "postgres";
  streams: number;
  liveStreams: number;
  viewers: number;
  cities: number;
  loadSeconds: number | null;
  /** POST /v1/scenarios/hometown's work (lib/streams/hometown), located viewers. */
  indexedMs: Latency;
  /** The same for viewers with location off (popular in their language). */
  fallbackMs: Latency;
  /** The exact answer by scoring every live stream in one statement (the full scan). */
  fullScanMs: Latency;
  /** Mean share of the full scan's top 20 that the indexed path returned too. */
  top20Agreement: number;
}

const CITIES = 2_000;
const CATEGORIES = ["music", "gaming", "cooking", "talk", "art", "sports", "travel", "tech"];

/**
 * Loads the bench data in SQL (generate_series, nothing over the wire): `viewers` people near one
 * of 2,000 random cities (city sizes by a power law: a few cities hold most people and streams),
 * each with stream preferences and a tenth with location off; `streams` streams by them, 30% live,
 * viewer counts from a Pareto draw. The streams' indexes are dropped for the load and rebuilt
 * after, as a bulk load would. Reused when the same sizes were loaded last.
 */
export async function loadStreamsBench(db: Db, streams: number, viewers: number): Promise<number | null> {
  const marker = `hometown-bench ${streams} ${viewers}`;
  const [m] = await db.query<{ c: string | null }>(
    `SELECT obj_description('public.streams'::regclass, 'pg_class') AS c`,
  );
  if (m.c === marker) return null;
  const start = performance.now();
  // The index definitions are kept in a table of their own first, so a load that fails midway (its
  // indexes dropped) is followed by one that still rebuilds them.
  await db.exec(`CREATE TABLE IF NOT EXISTS bench_stream_indexes AS
    SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'streams' AND indexname <> 'streams_pkey'`);
  const indexes = await db.query<{ indexdef: string; indexname: string }>(
    `SELECT indexname, indexdef FROM bench_stream_indexes ORDER BY indexname`,
  );
  await db.exec(`TRUNCATE streams, follows, stream_preferences, privacy_settings;
    DELETE FROM auth.users;
    DROP TABLE IF EXISTS bench_cities;
    CREATE TABLE bench_cities AS SELECT c AS id, 'City ' || c AS name,
      round((random() * 120 - 50)::numeric, 2)::float8 AS lat, round((random() * 359 - 179.5)::numeric, 2)::float8 AS lon,
      CASE WHEN c % 3 = 0 THEN 'es' ELSE 'en' END AS language
    FROM generate_series(0, ${CITIES - 1}) c;`);
  for (const ix of indexes) await db.exec(`DROP INDEX IF EXISTS ${ix.indexname}`);
  for (let done = 0; done < viewers; done += 50_000) {
    const n = Math.min(50_000, viewers - done);
    await db.exec(`INSERT INTO auth.users (id, raw_user_meta_data)
      SELECT gen_random_uuid(), jsonb_build_object('display_name', 'bench ' || (${done} + g)) FROM generate_series(1, ${n}) g`);
    process.stdout.write(`  viewers ${done + n}/${viewers}\r`);
  }
  await db.exec(`
    CREATE TEMP TABLE bench_people AS SELECT id, row_number() OVER (ORDER BY id) AS n,
      floor(${CITIES} * random() ^ 3)::int AS city FROM auth.users;
    CREATE INDEX ON bench_people (n);
    UPDATE profiles p SET city = c.name, lat = c.lat + (random() - 0.5) * 0.1, lon = c.lon + (random() - 0.5) * 0.1,
      locale = CASE WHEN random() < 0.8 THEN c.language ELSE 'en' END
    FROM bench_people b JOIN bench_cities c ON c.id = b.city WHERE p.user_id = b.id;
    INSERT INTO stream_preferences (user_id, categories, local_strength, mature_allowed)
    SELECT id, (ARRAY['${CATEGORIES.join("','")}'])[1 + (n % 8):1 + (n % 8) + (n % 2)], random(), n % 5 = 0
    FROM bench_people;
    INSERT INTO privacy_settings (user_id, category, enabled) SELECT id, 'location', false FROM bench_people WHERE n % 10 = 0;`);
  const [{ people }] = await db.query<{ people: number }>(`SELECT count(*)::int AS people FROM bench_people`);
  for (let done = 0; done < streams; done += 200_000) {
    const n = Math.min(200_000, streams - done);
    await db.exec(`WITH x AS MATERIALIZED (
        SELECT g, floor(${CITIES} * random() ^ 3)::int AS city,
               least(50000, floor(3 / (1 - random()) ^ (1 / 1.2)))::int AS viewers, random() AS quality
        FROM generate_series(${done + 1}, ${done + n}) g)
      INSERT INTO streams (creator_id, title, category, language, city, lat, lon, live_since, ended_at,
        quality_score, viewer_count, peak_viewers, partnered, mature)
      SELECT b.id, 'stream ' || x.g, (ARRAY['${CATEGORIES.join("','")}'])[1 + x.g % 8],
        CASE WHEN x.g % 7 = 0 THEN (CASE c.language WHEN 'es' THEN 'en' ELSE 'es' END) ELSE c.language END,
        c.name, c.lat, c.lon, now() - interval '3 hours', CASE WHEN x.g % 10 < 3 THEN NULL ELSE now() - interval '1 hour' END,
        x.quality, x.viewers, x.viewers, x.viewers > 500, x.g % 20 = 0
      FROM x JOIN bench_people b ON b.n = 1 + (x.g::bigint * 7919) % ${people} JOIN bench_cities c ON c.id = x.city`);
    process.stdout.write(`  streams ${done + n}/${streams}\r`);
  }
  for (const ix of indexes) await db.exec(ix.indexdef);
  await db.exec(`DROP TABLE bench_people`);
  for (const table of ["streams", "profiles", "stream_preferences", "privacy_settings"]) {
    await db.exec(db.kind === "pglite" ? `ANALYZE ${table}` : `VACUUM ANALYZE ${table}`);
  }
  await db.exec(`COMMENT ON TABLE streams IS '${marker}'`);
  return (performance.now() - start) / 1000;
}

interface ViewerRow {
  id: string;
  lat: number;
  lon: number;
  locale: string;
  categories: string[];
  local_strength: number;
  mature_allowed: boolean;
}

/** The exact top 20: every live stream the viewer may see, scored as lib/streams/hometown-score.ts does. */
const FULL_SCAN = `SELECT s.id FROM streams s
  WHERE s.ended_at IS NULL AND ($6::boolean OR NOT s.mature)
  ORDER BY (1 / (1 + earth_distance(ll_to_earth(s.lat, s.lon), ll_to_earth($1::float8, $2::float8)) / 1000)) * $3::float8
    + ${BASE_WEIGHTS.quality} * s.quality_score
    + CASE WHEN s.language = $4 THEN ${BASE_WEIGHTS.language} ELSE 0 END
    + CASE WHEN s.category = ANY ($5::text[]) THEN ${BASE_WEIGHTS.category} ELSE 0 END DESC
  LIMIT 20`;

export async function runHometownBench(
  db: Db,
  options: { streams: number; viewers: number; requests: number; fullScans: number },
): Promise<HometownBenchResult> {
  const loadSeconds = await loadStreamsBench(db, options.streams, options.viewers);
  const [counts] = await db.query<{ streams: number; live: number; viewers: number }>(
    `SELECT (SELECT count(*)::int FROM streams) AS streams, (SELECT count(*)::int FROM streams WHERE ended_at IS NULL) AS live,
            (SELECT count(*)::int FROM profiles) AS viewers`,
  );
  const located = await db.query<ViewerRow>(
    `SELECT p.user_id AS id, p.lat, p.lon, p.locale, sp.categories, sp.local_strength, sp.mature_allowed
     FROM profiles p JOIN stream_preferences sp USING (user_id)
     WHERE NOT EXISTS (SELECT 1 FROM privacy_settings ps WHERE ps.user_id = p.user_id AND NOT ps.enabled)
     ORDER BY md5(p.user_id::text) LIMIT $1`,
    [options.requests],
  );
  const off = await db.query<{ id: string }>(
    `SELECT user_id AS id FROM privacy_settings WHERE NOT enabled ORDER BY md5(user_id::text) LIMIT $1`,
    [options.requests],
  );
  // Warm-up: first plans and cache.
  for (const v of located.slice(0, 5)) await hometown(db, v.id, v.id, 20);
  const indexed: number[] = [];
  const answers = new Map<string, string[]>();
  for (const v of located) {
    const [r, ms] = await timed(() => hometown(db, v.id, v.id, 20));
    indexed.push(ms);
    answers.set(
      v.id,
      r.streams.map((s) => s.stream_id),
    );
  }
  const fallback: number[] = [];
  for (const v of off) fallback.push((await timed(() => hometown(db, v.id, v.id, 20)))[1]);
  const full: number[] = [];
  const agreement: number[] = [];
  for (const v of located.slice(0, options.fullScans)) {
    const [rows, ms] = await timed(() =>
      db.query<{ id: string }>(FULL_SCAN, [v.lat, v.lon, v.local_strength, v.locale, v.categories, v.mature_allowed]),
    );
    full.push(ms);
    const got = new Set(answers.get(v.id));
    agreement.push(rows.filter((r) => got.has(r.id)).length / Math.max(1, rows.length));
  }
  return {
    driver: db.kind,
    streams: counts.streams,
    liveStreams: counts.live,
    viewers: counts.viewers,
    cities: CITIES,
    loadSeconds,
    indexedMs: summarise(indexed),
    fallbackMs: summarise(fallback),
    fullScanMs: summarise(full),
    top20Agreement: Math.round((agreement.reduce((a, b) => a + b, 0) / Math.max(1, agreement.length)) * 1000) / 1000,
  };
}
