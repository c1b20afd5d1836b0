import type { Db } from "../lib/db/types";
import { runBatch } from "../lib/jobs/batch";
import { batchJob } from "../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../lib/job-registry/job-context";
import { forgetHomeFeeds } from "../lib/streams/feed/cache";
import { streamFeed } from "../lib/streams/feed/feed";
import { loadStreamsBench } from "./hometown";
import { summarise, timed, type Latency } from "./lib/stats";

export interface FeedsBenchResult {
  driver: "pglite" | "postgres";
  streams: number;
  liveStreams: number;
  viewers: number;
  watchEvents: number;
  follows: number;
  batchSeconds: number | null;
  /** POST /v1/scenarios/home_feed's work (lib/streams/feed), no cache. */
  homeMs: Latency;
  /** The same viewers again within the home feed cache's lifetime (absent before the cache existed). */
  cachedHomeMs?: Latency;
  categoryMs: Latency;
  watchesPerViewer?: number;
  /** Share of cached answers equal to the uncached one just before (a cache hit). */
  cachedSameShare?: number;
  meanItems: number;
}

/** Followed creators per second viewer. */
const FOLLOWS = 3;

/**
 * The HOMETOWN bench's streams and viewers, plus follows and watch events in SQL (each viewer's
 * watches drawn from a neighbourhood of streams shared with viewers of the same residue, so the
 * item model has structure), then the stream-feeds batch. Reused when the same sizes were loaded.
 */
async function loadFeedData(db: Db, streams: number, viewers: number, watches: number): Promise<number | null> {
  const reloaded = (await loadStreamsBench(db, streams, viewers)) !== null;
  const marker = `feeds-bench ${streams} ${viewers}${watches === 12 ? "" : ` ${watches}`}`;
  const [m] = await db.query<{ c: string | null }>(
    `SELECT obj_description('public.follows'::regclass, 'pg_class') AS c`,
  );
  if (!reloaded && m.c === marker) return null;
  const start = performance.now();
  await db.exec(`DELETE FROM events WHERE target_type = 'stream';
    TRUNCATE follows;
    CREATE TEMP TABLE bench_s AS SELECT id, creator_id, row_number() OVER (ORDER BY id) AS n FROM streams;
    CREATE INDEX ON bench_s (n);
    CREATE TEMP TABLE bench_v AS SELECT user_id, row_number() OVER (ORDER BY user_id) AS n FROM profiles;
    INSERT INTO follows (user_id, creator_id)
      SELECT v.user_id, s.creator_id FROM bench_v v CROSS JOIN generate_series(1, ${FOLLOWS}) k
      JOIN bench_s s ON s.n = 1 + (v.n * 7919 + k * 104729) % ${streams}
      WHERE v.n % 2 = 0 AND s.creator_id <> v.user_id ON CONFLICT DO NOTHING;
    INSERT INTO events (user_id, kind, target_type, target_id, value, created_at)
      SELECT v.user_id, 'watch', 'stream', s.id::text, (1 + 40 * random()) * 60000, now() - random() * interval '20 days'
      FROM bench_v v CROSS JOIN generate_series(1, ${watches}) k
      JOIN bench_s s ON s.n = 1 + ((v.n % 500) * 1013 + k * 977 + (v.n * k) % 7) % ${streams};
    DROP TABLE bench_s; DROP TABLE bench_v;`);
  await db.exec(db.kind === "pglite" ? "ANALYZE events; ANALYZE follows" : "VACUUM ANALYZE follows");
  await runBatch(db, batchJob("stream-feeds", defaultJobContext()));
  await db.exec(`COMMENT ON TABLE follows IS '${marker}'`);
  return (performance.now() - start) / 1000;
}

export async function runFeedsBench(
  db: Db,
  options: { streams: number; viewers: number; watches: number; requests: number },
): Promise<FeedsBenchResult> {
  const batchSeconds = await loadFeedData(db, options.streams, options.viewers, options.watches);
  const [counts] = await db.query<{ streams: number; live: number; viewers: number; watches: number; follows: number }>(
    `SELECT (SELECT count(*)::int FROM streams) AS streams, (SELECT count(*)::int FROM streams WHERE ended_at IS NULL) AS live,
            (SELECT count(*)::int FROM profiles) AS viewers, (SELECT count(*)::int FROM follows) AS follows,
            (SELECT count(*)::int FROM events WHERE kind = 'watch' AND target_type = 'stream') AS watches`,
  );
  const sample = await db.query<{ id: string }>(
    `SELECT user_id AS id FROM profiles ORDER BY md5(user_id::text) LIMIT $1`,
    [options.requests],
  );
  const feed = (id: string, category: string | null) => streamFeed(db, id, { user_id: id, category_id: category });
  for (const v of sample.slice(0, 5)) await feed(v.id, null);
  forgetHomeFeeds();
  // Each viewer's home feed uncached (nothing remembered), then at once again (from the cache).
  const home: number[] = [];
  const cached: number[] = [];
  let items = 0;
  let same = 0;
  for (const v of sample) {
    const [r, ms] = await timed(() => feed(v.id, null));
    home.push(ms);
    items += r.streams.length;
    const [again, cachedMs] = await timed(() => feed(v.id, null));
    cached.push(cachedMs);
    if (JSON.stringify(again.streams) === JSON.stringify(r.streams)) same++;
  }
  const category: number[] = [];
  for (const v of sample.slice(0, Math.ceil(sample.length / 2)))
    category.push((await timed(() => feed(v.id, "music")))[1]);
  return {
    driver: db.kind,
    streams: counts.streams,
    liveStreams: counts.live,
    viewers: counts.viewers,
    watchEvents: counts.watches,
    follows: counts.follows,
    batchSeconds,
    homeMs: summarise(home),
    cachedHomeMs: summarise(cached),
    cachedSameShare: Math.round((same / Math.max(1, sample.length)) * 1000) / 1000,
    categoryMs: summarise(category),
    watchesPerViewer: options.watches,
    meanItems: Math.round((items / Math.max(1, sample.length)) * 10) / 10,
  };
}
