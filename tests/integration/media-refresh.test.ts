import { afterAll, beforeAll, expect, it } from "vitest";
import { runBatch } from "../../lib/jobs/batch";
import { metadataFetchersFromEnv } from "../../lib/media/fetchers";
import type { MetadataHttpOptions } from "../../lib/media/fetchers/http";
import type { MetadataFetcher } from "../../lib/media/fetchers/types";
import { mediaRefreshJob } from "../../lib/media/refresh-job";
import { currentMediaId, resolveMedia } from "../../lib/media/resolve";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { FAKE_IDS, startFakeMusicBrainz, startFakeOpenLibrary, startFakeTmdb } from "../helpers/fake-metadata";

const HOUR = 3600_000;

describeEachDriver("media-refresh job against fake TMDb, MusicBrainz and Open Library", (ctx) => {
  let tmdb: Awaited<ReturnType<typeof startFakeTmdb>>;
  let mb: Awaited<ReturnType<typeof startFakeMusicBrainz>>;
  let ol: Awaited<ReturnType<typeof startFakeOpenLibrary>>;
  let clock = new Date("2026-12-01T03:00:00Z");
  const ids = {} as Record<"bladeRunner" | "paranoid" | "talkShowHost" | "hunger" | "missing" | "catchingFire", string>;
  const spotifyArt = "https://i.scdn.co/image/ab67616d00001e02talkshowhost";
  let userId: string;

  /** Waits are recorded, never spent: the clock the fetchers see moves only by them. */
  const http = () => {
    let t = clock.getTime();
    return { now: () => t, sleep: async (ms: number) => void (t += ms) } satisfies MetadataHttpOptions;
  };
  const fetchers = () =>
    metadataFetchersFromEnv(
      {
        TMDB_API_KEY: "test-key",
        TMDB_API_URL: tmdb.apiUrl,
        MUSICBRAINZ_ENABLED: "1",
        MUSICBRAINZ_API_URL: mb.url,
        MUSICBRAINZ_CONTACT: "ops@example.org",
        OPENLIBRARY_ENABLED: "1",
        OPENLIBRARY_API_URL: ol.url,
      },
      http(),
    );
  const run = async (list = fetchers()) => {
    const job = mediaRefreshJob(list, () => clock);
    const phases = new Set<string>();
    const outcome = await runBatch(ctx.db, job, { chunkSize: 2, onProgress: (p) => void phases.add(p.phaseName) });
    return { outcome, stats: job.stats, phases: [...phases] };
  };
  const media = async (id: string) => {
    const [row] = await ctx.db.query<{
      metadata: Record<string, unknown>;
      fetched_at: Date | null;
      has_embedding: boolean;
      cover_url: string | null;
    }>(
      `SELECT metadata, fetched_at, embedding IS NOT NULL AS has_embedding, cover_url FROM canonical_media WHERE id = $1`,
      [id],
    );
    return row;
  };

  beforeAll(async () => {
    [tmdb, mb, ol] = await Promise.all([startFakeTmdb(), startFakeMusicBrainz(), startFakeOpenLibrary()]);
    const add = async (c: Parameters<typeof resolveMedia>[1]) => (await resolveMedia(ctx.db, c)).id;
    ids.bladeRunner = await add({
      mediaType: "film",
      title: "Blade Runner",
      year: 1982,
      metadata: { genres: ["neo-noir"], source: "letterboxd" },
    });
    ids.paranoid = await add({
      mediaType: "music",
      title: "Paranoid Android",
      isrc: FAKE_IDS.paranoidAndroidIsrc,
      metadata: { genres: ["alternative"], creators: ["Radiohead"], source: "spotify" },
    });
    ids.hunger = await add({
      mediaType: "book",
      title: "The Hunger Games",
      externalId: FAKE_IDS.hungerGamesIsbn,
      metadata: { creators: ["Suzanne Collins"], source: "goodreads" },
    });
    ids.missing = await add({ mediaType: "film", title: "No Such Film", year: 1999 });
    // Imported from Spotify with its album art.
    ids.talkShowHost = await add({
      mediaType: "music",
      title: "Talk Show Host",
      isrc: FAKE_IDS.talkShowHostIsrc,
      metadata: { creators: ["Radiohead"], source: "spotify" },
      coverUrl: spotifyArt,
    });
    ids.catchingFire = await add({
      mediaType: "book",
      title: "Catching Fire",
      metadata: { creators: ["Suzanne Collins"] },
    });
    await ctx.db.query(`UPDATE canonical_media SET embedding = array_fill(0.1, ARRAY[768])::vector WHERE id = $1`, [
      ids.bladeRunner,
    ]);
    userId = await createUser(ctx.db);
    await ctx.db.query(
      `INSERT INTO favorite_items (user_id, media_id, source, rating) VALUES ($1, $2, 'letterboxd', 5)`,
      [userId, ids.bladeRunner],
    );
  });
  afterAll(async () => {
    await Promise.all([tmdb?.close(), mb?.close(), ol?.close()]);
  });

  it("offline (no service enabled) does nothing and says so", async () => {
    expect(metadataFetchersFromEnv({})).toEqual([]);
    const { outcome, phases } = await run([]);
    expect(outcome.status).toBe("done");
    expect(outcome.processed).toBe(0);
    // The phase's name is what `npm run job -- media-refresh` shows beside its progress bar.
    expect(phases).toHaveLength(1);
    expect(phases[0]).toMatch(/^no metadata service enabled \(TMDB_API_KEY.*\): nothing to fetch$/);
    const [row] = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM canonical_media WHERE fetched_at IS NOT NULL`,
    );
    expect(row.n).toBe(0);
  });

  it("merges fetched metadata over what the import carried and moves local titles to their external ids", async () => {
    expect(ids.bladeRunner).toMatch(/^local:film:/);
    const { outcome, stats } = await run();
    expect(outcome.status).toBe("done");
    expect(stats).toMatchObject({ updated: 5, promoted: 4, missed: 1, failed: 0 });

    expect(await currentMediaId(ctx.db, ids.bladeRunner)).toBe(FAKE_IDS.bladeRunnerImdb);
    const film = await media(FAKE_IDS.bladeRunnerImdb);
    expect(film.metadata.genres).toEqual(["neo-noir", "science fiction", "drama", "thriller"]); // import's first
    expect(film.metadata.themes).toContain("dystopia");
    expect(film.metadata.creators).toEqual(["Ridley Scott"]);
    expect(film.metadata.source).toBe("tmdb");
    expect(film.metadata.era).toBe("1980s");
    expect(new Date(film.fetched_at!).toISOString()).toBe(clock.toISOString());
    expect(film.has_embedding).toBe(false); // new metadata: the nightly embeddings job embeds it again
    const [fav] = await ctx.db.query<{ media_id: string }>(`SELECT media_id FROM favorite_items WHERE user_id = $1`, [
      userId,
    ]);
    expect(fav.media_id).toBe(FAKE_IDS.bladeRunnerImdb);
    expect(film.cover_url).toBe(FAKE_IDS.bladeRunnerPoster); // the card shows TMDb's poster

    expect(await currentMediaId(ctx.db, ids.paranoid)).toBe(FAKE_IDS.paranoidAndroidMbid);
    const song = await media(FAKE_IDS.paranoidAndroidMbid);
    expect(song.metadata).toMatchObject({
      genres: ["alternative", "art rock", "alternative rock", "progressive rock"],
      creators: ["Radiohead"],
      isrc: FAKE_IDS.paranoidAndroidIsrc,
      source: "musicbrainz",
    });
    expect(song.cover_url).toBe(FAKE_IDS.okComputerCover); // the Cover Art Archive's front of the album
    // Spotify's album art moves with the title to its MBID; MusicBrainz is not asked for releases.
    const talkShowHost = await currentMediaId(ctx.db, ids.talkShowHost);
    expect(talkShowHost).toMatch(/^mbid:/);
    expect((await media(talkShowHost!)).cover_url).toBe(spotifyArt);
    expect(mb.seen.filter((r) => r.path === "/ws/2/release").map((r) => r.query.get("recording"))).toEqual([
      FAKE_IDS.paranoidAndroidMbid.slice(5),
    ]);

    const book = await media(FAKE_IDS.hungerGamesIsbn);
    expect(book.metadata).toMatchObject({
      genres: ["fiction", "young adult fiction"],
      themes: ["dystopias", "survival", "reality television programs"],
      creators: ["Suzanne Collins"],
      source: "openlibrary",
    });
    expect(book.cover_url).toBe(FAKE_IDS.hungerGamesCover);
    expect(await currentMediaId(ctx.db, ids.catchingFire)).toBe(FAKE_IDS.catchingFireIsbn);
    expect((await media(FAKE_IDS.catchingFireIsbn)).cover_url).toBe(FAKE_IDS.catchingFireCover);

    const misses = await ctx.db.query<{ provider: string; lookup_key: string }>(
      `SELECT provider, lookup_key FROM media_fetch_misses`,
    );
    expect(misses).toEqual([{ provider: "tmdb", lookup_key: "no such film|1999" }]);
    expect((await media(ids.missing)).fetched_at).toBeNull();
  });

  it("does not ask again about a miss within 24 hours, nor about titles fetched this month", async () => {
    const searchesFor = (title: string) =>
      tmdb.seen.filter((r) => r.path === "/3/search/movie" && r.query.get("query") === title).length;
    expect(searchesFor("No Such Film")).toBe(1);
    const before = { tmdb: tmdb.seen.length, mb: mb.seen.length, ol: ol.seen.length };

    clock = new Date(clock.getTime() + 23 * HOUR);
    const { stats } = await run();
    expect(stats).toMatchObject({ updated: 0, cachedMisses: 1 });
    expect({ tmdb: tmdb.seen.length, mb: mb.seen.length, ol: ol.seen.length }).toEqual(before);

    clock = new Date(clock.getTime() + 2 * HOUR);
    expect((await run()).stats).toMatchObject({ missed: 1, cachedMisses: 0 });
    expect(searchesFor("No Such Film")).toBe(2);
  });

  it("picks only titles never fetched or fetched more than 30 days ago", async () => {
    await ctx.db.query(
      `INSERT INTO canonical_media (id, media_type, title, year, metadata, fetched_at)
       VALUES ('imdb:tt0211915', 'film', 'Amélie', 2001, '{"genres": ["romance"]}', $1::timestamptz)`,
      [new Date(clock.getTime() - 29 * 24 * HOUR)],
    );
    await ctx.db.query(`UPDATE canonical_media SET fetched_at = $2::timestamptz WHERE id = $1`, [
      FAKE_IDS.bladeRunnerImdb,
      new Date(clock.getTime() - 31 * 24 * HOUR),
    ]);
    clock = new Date(clock.getTime() + HOUR);
    const before = tmdb.seen.length;
    const { stats } = await run();
    const paths = tmdb.seen.slice(before).map((r) => r.path);
    expect(paths).toEqual(["/3/find/tt0083658", "/3/movie/78"]); // the miss is cached; Amélie is fresh
    expect(stats).toMatchObject({ updated: 1, promoted: 0 });
    expect(new Date((await media(FAKE_IDS.bladeRunnerImdb)).fetched_at!).toISOString()).toBe(clock.toISOString());
    const amelie = await media("imdb:tt0211915");
    expect(amelie.metadata.source).toBeUndefined();
  });

  it("keeps the external id in metadata when it already names another record (resolve does not merge two records)", async () => {
    // A local duplicate without aliases, so resolveMedia cannot see it as a variant of Amélie.
    await ctx.db.query(
      `INSERT INTO canonical_media (id, media_type, title, year, metadata)
       VALUES ('local:film:00000000000000aa', 'film', 'Amelie', 2001, '{}')`,
    );
    clock = new Date(clock.getTime() + HOUR);
    const { stats } = await run();
    expect(stats).toMatchObject({ updated: 1, promoted: 0 });
    expect(await currentMediaId(ctx.db, "local:film:00000000000000aa")).toBe("local:film:00000000000000aa");
    const dup = await media("local:film:00000000000000aa");
    expect(dup.metadata).toMatchObject({ externalId: "imdb:tt0211915", genres: ["comedy", "romance"], source: "tmdb" });
  });

  it("finishes the run when a service keeps failing, leaving its titles stale for the next one", async () => {
    await resolveMedia(ctx.db, { mediaType: "film", title: "Blade Runner", year: 2049 });
    await ctx.db.query(`UPDATE canonical_media SET fetched_at = NULL WHERE id = $1`, [FAKE_IDS.hungerGamesIsbn]);
    tmdb.failures.set(
      "/3/",
      Array.from({ length: 20 }, () => ({ status: 500 })),
    );
    clock = new Date(clock.getTime() + HOUR);
    const { outcome, stats } = await run();
    tmdb.failures.clear();
    expect(outcome.status).toBe("done");
    expect(stats.down.tmdb).toMatch(/TMDb: answered 500/);
    expect(stats.failed).toBeGreaterThanOrEqual(1);
    expect(stats.updated).toBe(1); // Open Library still refreshed its book
    const [stale] = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM canonical_media WHERE media_type = 'film' AND fetched_at IS NULL`,
    );
    expect(stale.n).toBe(2); // "No Such Film" (cached miss aside) and "Blade Runner" (2049) wait for the next run
  });

  it("keeps a title's cover when the service now has none", async () => {
    // Fetched once with a poster that TMDb has since lost: the card keeps showing the old one.
    const earlier = "https://image.tmdb.org/t/p/w342/earlierCarmencitaPoster.jpg";
    await ctx.db.query(
      `INSERT INTO canonical_media (id, media_type, title, year, metadata, cover_url)
       VALUES ($1, 'film', 'Carmencita', 1894, '{}', $2)`,
      [FAKE_IDS.carmencitaImdb, earlier],
    );
    clock = new Date(clock.getTime() + HOUR);
    const { outcome } = await run();
    expect(outcome.status).toBe("done");
    const carmencita = await media(FAKE_IDS.carmencitaImdb);
    expect(carmencita.metadata).toMatchObject({ genres: ["documentary"], source: "tmdb" });
    expect(new Date(carmencita.fetched_at!).toISOString()).toBe(clock.toISOString());
    expect(carmencita.cover_url).toBe(earlier);
  });

  it("drops a cover URL the column refuses (too long, not https) and still refreshes the title", async () => {
    // A poster path that makes the URL longer than cover_url's 2048 characters.
    tmdb.posterPaths.set(78, `/${"a".repeat(2100)}.jpg`);
    await ctx.db.query(`UPDATE canonical_media SET fetched_at = NULL WHERE id = $1`, [FAKE_IDS.bladeRunnerImdb]);
    // TMDb's /configuration names a plain-http base_url beside the secure one: a fetcher built on
    // it would hand us http posters, which the pages could not show on the https site.
    const [tmdbFetcher] = fetchers();
    expect(tmdbFetcher.provider).toBe("tmdb");
    const plainHttp: MetadataFetcher = {
      provider: tmdbFetcher.provider,
      mediaType: tmdbFetcher.mediaType,
      lookupKey: (r) => tmdbFetcher.lookupKey(r),
      fetch: async (r) => {
        const got = await tmdbFetcher.fetch(r);
        return (
          got && (r.id === "imdb:tt0211915" ? { ...got, coverUrl: got.coverUrl?.replace(/^https:/, "http:") } : got)
        );
      },
    };
    await ctx.db.query(`UPDATE canonical_media SET fetched_at = NULL WHERE id = 'imdb:tt0211915'`);
    clock = new Date(clock.getTime() + HOUR);
    try {
      const { outcome, stats } = await run([plainHttp]);
      expect(outcome.status).toBe("done");
      expect(stats.failed).toBe(0);
    } finally {
      tmdb.posterPaths.clear();
    }
    const bladeRunner = await media(FAKE_IDS.bladeRunnerImdb);
    expect(new Date(bladeRunner.fetched_at!).toISOString()).toBe(clock.toISOString());
    expect(bladeRunner.cover_url).toBe(FAKE_IDS.bladeRunnerPoster); // the poster it had stays
    const amelie = await media("imdb:tt0211915");
    expect(new Date(amelie.fetched_at!).toISOString()).toBe(clock.toISOString());
    expect(amelie.metadata.source).toBe("tmdb");
    expect(amelie.cover_url).toBeNull();
  });
});
