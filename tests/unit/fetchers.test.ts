import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metadataFetchersFromEnv } from "../../lib/media/fetchers";
import { MetadataServiceError, type MetadataHttpOptions } from "../../lib/media/fetchers/http";
import { MusicBrainzFetcher, musicBrainzConfig } from "../../lib/media/fetchers/musicbrainz";
import { OpenLibraryFetcher, subjectsToTags } from "../../lib/media/fetchers/openlibrary";
import { TmdbFetcher } from "../../lib/media/fetchers/tmdb";
import type { MediaRecord } from "../../lib/media/fetchers/types";
import { FAKE_IDS, startFakeMusicBrainz, startFakeOpenLibrary, startFakeTmdb } from "../helpers/fake-metadata";

/** A clock that only the recorded sleeps move: waits are seen, never spent. */
function fakeTime() {
  const t = { now: 1_700_000_000_000, waits: [] as number[] };
  const options: MetadataHttpOptions = {
    now: () => t.now,
    sleep: async (ms) => {
      t.waits.push(ms);
      t.now += ms;
    },
  };
  return { t, options };
}

const film = (title: string, year: number | null, id = "local:film:0123456789abcdef"): MediaRecord => ({
  id,
  mediaType: "film",
  title,
  year,
  metadata: {},
});

describe("TMDb fetcher against a fake TMDb", () => {
  let tmdb: Awaited<ReturnType<typeof startFakeTmdb>>;
  beforeAll(async () => void (tmdb = await startFakeTmdb()));
  afterAll(() => tmdb.close());

  it("finds a film by title and year, then reads genres, keywords, director, its IMDb id and poster", async () => {
    const f = new TmdbFetcher({ apiUrl: tmdb.apiUrl, apiKey: "test-key" }, fakeTime().options);
    const got = await f.fetch(film("Blade Runner", 1982));
    expect(got).toEqual({
      externalId: FAKE_IDS.bladeRunnerImdb,
      year: 1982,
      genres: ["science fiction", "drama", "thriller"],
      themes: ["android", "dystopia", "cyberpunk", "artificial intelligence"],
      creators: ["Ridley Scott"],
      coverUrl: FAKE_IDS.bladeRunnerPoster, // poster_path on TMDb's https image host, 342 px wide
    });
    const search = tmdb.seen.find((r) => r.path === "/3/search/movie")!;
    expect(search.query.get("api_key")).toBe("test-key");
    expect(search.query.get("year")).toBe("1982");
  });

  it("sends a v4 read token as a bearer token and looks an IMDb id up with /find", async () => {
    const before = tmdb.seen.length;
    const f = new TmdbFetcher({ apiUrl: tmdb.apiUrl, readToken: "test-token" }, fakeTime().options);
    const got = await f.fetch(film("Amelie", 2001, "imdb:tt0211915"));
    expect(got?.genres).toEqual(["comedy", "romance"]);
    const calls = tmdb.seen.slice(before);
    expect(calls.map((c) => c.path)).toEqual(["/3/find/tt0211915", "/3/movie/194"]);
    expect(calls[0].headers.authorization).toBe("Bearer test-token");
    expect(calls[0].query.get("api_key")).toBeNull();
  });

  it("names no cover for a film TMDb has no poster for", async () => {
    const f = new TmdbFetcher({ apiUrl: tmdb.apiUrl, apiKey: "test-key" }, fakeTime().options);
    const got = await f.fetch(film("Carmencita", 1894, FAKE_IDS.carmencitaImdb));
    expect(got?.genres).toEqual(["documentary"]);
    expect(got?.coverUrl).toBeUndefined();
  });

  it("answers null for a film it does not know, or one of another year", async () => {
    const f = new TmdbFetcher({ apiUrl: tmdb.apiUrl, apiKey: "test-key" }, fakeTime().options);
    expect(await f.fetch(film("No Such Film", 1999))).toBeNull();
    expect(await f.fetch(film("Blade Runner", 2049))).toBeNull();
  });

  it("waits as long as a 429's Retry-After says, then carries on", async () => {
    const { t, options } = fakeTime();
    tmdb.failures.set("/3/search/movie", [{ status: 429, retryAfter: "3" }]);
    const f = new TmdbFetcher({ apiUrl: tmdb.apiUrl, apiKey: "test-key" }, options);
    expect((await f.fetch(film("Blade Runner", 1982)))?.externalId).toBe(FAKE_IDS.bladeRunnerImdb);
    expect(t.waits).toEqual([3000]);
  });

  it("retries 5xx with exponential back-off, and gives up with a service error when they persist", async () => {
    const { t, options } = fakeTime();
    tmdb.failures.set("/3/movie/", [{ status: 500 }, { status: 503 }]);
    const f = new TmdbFetcher({ apiUrl: tmdb.apiUrl, apiKey: "test-key" }, options);
    expect((await f.fetch(film("Blade Runner", 1982)))?.genres).toContain("drama");
    expect(t.waits).toEqual([500, 1000]);

    tmdb.failures.set(
      "/3/search/movie",
      Array.from({ length: 5 }, () => ({ status: 502 })),
    );
    const down = new TmdbFetcher({ apiUrl: tmdb.apiUrl, apiKey: "test-key" }, { ...fakeTime().options, maxRetries: 4 });
    await expect(down.fetch(film("Blade Runner", 1982))).rejects.toBeInstanceOf(MetadataServiceError);
  });

  it("does not retry a refused key", async () => {
    const { t, options } = fakeTime();
    const f = new TmdbFetcher({ apiUrl: tmdb.apiUrl, apiKey: "wrong" }, options);
    await expect(f.fetch(film("Blade Runner", 1982))).rejects.toThrow(/401/);
    expect(t.waits).toEqual([]);
  });
});

describe("MusicBrainz fetcher against a fake MusicBrainz", () => {
  let mb: Awaited<ReturnType<typeof startFakeMusicBrainz>>;
  beforeAll(async () => void (mb = await startFakeMusicBrainz()));
  afterAll(() => mb.close());
  const config = () =>
    musicBrainzConfig({
      MUSICBRAINZ_ENABLED: "1",
      MUSICBRAINZ_API_URL: mb.url,
      MUSICBRAINZ_CONTACT: "ops@example.org",
    })!;
  const song = (isrc?: string, creators: string[] = [], title = "Paranoid Android"): MediaRecord => ({
    id: "local:music:0123456789abcdef",
    mediaType: "music",
    title,
    year: null,
    metadata: { creators, ...(isrc && { isrc }) },
  });

  it("looks a recording up by ISRC (fmt=json, artist credits and tags) with a User-Agent naming a contact", async () => {
    const before = mb.seen.length;
    const got = await new MusicBrainzFetcher(config(), fakeTime().options).fetch(song(FAKE_IDS.paranoidAndroidIsrc));
    expect(got).toEqual({
      externalId: FAKE_IDS.paranoidAndroidMbid,
      year: 1997,
      genres: ["art rock", "alternative rock", "progressive rock"], // most-tagged first
      themes: [],
      creators: ["Radiohead"],
      // The studio album's release group, not the compilation listed before it.
      coverUrl: FAKE_IDS.okComputerCover,
    });
    const [call, browse] = mb.seen.slice(before);
    expect(call.path).toBe(`/ws/2/isrc/${FAKE_IDS.paranoidAndroidIsrc}`);
    expect(call.query.get("fmt")).toBe("json");
    expect(call.query.get("inc")?.split(/[ +]/)).toEqual(["artist-credits", "tags"]);
    expect(call.headers["user-agent"]).toMatch(/^MeshDiscovery\/\S+ \( ops@example\.org \)$/);
    // Only a release browse says which releases have a front image in the Cover Art Archive.
    expect(browse.path).toBe("/ws/2/release");
    expect(browse.query.get("recording")).toBe(FAKE_IDS.paranoidAndroidMbid.slice(5));
    expect(browse.query.get("inc")).toBe("release-groups");
  });

  it("names no cover when no release has a front image (the archive's URL would be a 404)", async () => {
    const f = new MusicBrainzFetcher(config(), fakeTime().options);
    const got = await f.fetch(song(FAKE_IDS.talkShowHostIsrc, [], "Talk Show Host"));
    expect(got?.creators).toEqual(["Radiohead"]);
    expect(got?.coverUrl).toBeUndefined();
  });

  it("does not ask for releases when the title already has a cover (one request per second is dear)", async () => {
    const before = mb.seen.length;
    const f = new MusicBrainzFetcher(config(), fakeTime().options);
    const got = await f.fetch({ ...song(FAKE_IDS.paranoidAndroidIsrc), coverUrl: "https://i.scdn.co/image/ab67" });
    expect(got?.externalId).toBe(FAKE_IDS.paranoidAndroidMbid);
    expect(got?.coverUrl).toBeUndefined();
    expect(mb.seen.slice(before).map((r) => r.path)).toEqual([`/ws/2/isrc/${FAKE_IDS.paranoidAndroidIsrc}`]);
  });

  it("searches by title and artist when there is no ISRC, and answers null for an unknown ISRC", async () => {
    const f = new MusicBrainzFetcher(config(), fakeTime().options);
    expect((await f.fetch(song(undefined, ["Radiohead"])))?.externalId).toBe(FAKE_IDS.paranoidAndroidMbid);
    expect(await f.fetch(song("USXXX0000001"))).toBeNull();
    expect(f.lookupKey(song())).toBeNull(); // nothing to ask with: no ISRC, no artist
  });

  it("never sends more than one request per second, whatever the caller does", async () => {
    const { t, options } = fakeTime();
    const f = new MusicBrainzFetcher(config(), options);
    const before = mb.seen.length;
    await f.fetch(song(FAKE_IDS.paranoidAndroidIsrc));
    await f.fetch(song(FAKE_IDS.paranoidAndroidIsrc));
    t.now += 400; // time the caller spent elsewhere counts towards the gap
    await f.fetch(song(FAKE_IDS.paranoidAndroidIsrc));
    expect(mb.seen.length - before).toBe(6); // each title: its recording, then its releases
    expect(t.waits).toEqual([1000, 1000, 1000, 600, 1000]);
  });

  it("backs off on MusicBrainz's 503 (honouring Retry-After) and on a 500", async () => {
    const { t, options } = fakeTime();
    mb.failures.set("/ws/2/isrc/", [{ status: 503, retryAfter: "2" }, { status: 500 }]);
    const got = await new MusicBrainzFetcher(config(), options).fetch(song(FAKE_IDS.paranoidAndroidIsrc));
    expect(got?.creators).toEqual(["Radiohead"]);
    // Retry-After, then back-off 500·2¹ (≥ the 1 s gap), then the gap before the release browse.
    expect(t.waits).toEqual([2000, 1000, 1000]);
  });

  it("is off unless MUSICBRAINZ_ENABLED=1, and refuses to run without a contact", () => {
    expect(musicBrainzConfig({})).toBeNull();
    expect(() => musicBrainzConfig({ MUSICBRAINZ_ENABLED: "1" })).toThrow(/MUSICBRAINZ_CONTACT/);
  });
});

describe("Open Library fetcher against a fake Open Library", () => {
  let ol: Awaited<ReturnType<typeof startFakeOpenLibrary>>;
  beforeAll(async () => void (ol = await startFakeOpenLibrary()));
  afterAll(() => ol.close());
  const book = (id: string, title: string, creators: string[] = []): MediaRecord => ({
    id,
    mediaType: "book",
    title,
    year: null,
    metadata: { creators },
  });

  it("follows /isbn to the edition, reads the work's subjects and the author's name", async () => {
    const before = ol.seen.length;
    const got = await new OpenLibraryFetcher({ apiUrl: ol.url }, fakeTime().options).fetch(
      book(FAKE_IDS.hungerGamesIsbn, "The Hunger Games"),
    );
    expect(got).toEqual({
      year: 2008,
      genres: ["fiction", "young adult fiction"],
      themes: ["dystopias", "survival", "reality television programs"],
      creators: ["Suzanne Collins"],
      coverUrl: FAKE_IDS.hungerGamesCover, // the edition's cover; its removed -1 skipped
    });
    expect(ol.seen.slice(before).map((r) => r.path)).toEqual([
      "/isbn/9780439023481.json",
      "/books/OL24376286M.json",
      "/works/OL5735363W.json",
      "/authors/OL1394359A.json",
    ]);
  });

  it("does not ask for author records the import already named", async () => {
    const before = ol.seen.length;
    await new OpenLibraryFetcher({ apiUrl: ol.url }, fakeTime().options).fetch(
      book(FAKE_IDS.hungerGamesIsbn, "The Hunger Games", ["Suzanne Collins"]),
    );
    expect(ol.seen.slice(before).some((r) => r.path.startsWith("/authors/"))).toBe(false);
  });

  it("finds a book without an ISBN by title and author, naming its ISBN-13", async () => {
    const f = new OpenLibraryFetcher({ apiUrl: ol.url }, fakeTime().options);
    const got = await f.fetch(book("local:book:0123456789abcdef", "Catching Fire", ["Suzanne Collins"]));
    expect(got?.externalId).toBe(FAKE_IDS.catchingFireIsbn);
    expect(got?.themes).toEqual(["revolutions", "television programs"]);
    expect(got?.coverUrl).toBe(FAKE_IDS.catchingFireCover); // search's cover_i
    expect(await f.fetch(book("isbn:9780306406157", "Unknown"))).toBeNull();
  });

  it("keeps library bookkeeping out of the subjects", () => {
    expect(subjectsToTags(["Accessible book", "nyt:x=1", "Fiction, science fiction, general", "Mars"])).toEqual({
      genres: ["fiction", "science fiction"],
      themes: ["mars"],
    });
  });
});

describe("metadata fetchers from the environment", () => {
  it("enables only the services whose variables are set", () => {
    expect(metadataFetchersFromEnv({})).toEqual([]);
    const all = metadataFetchersFromEnv({
      TMDB_API_KEY: "k",
      MUSICBRAINZ_ENABLED: "1",
      MUSICBRAINZ_CONTACT: "ops@example.org",
      OPENLIBRARY_ENABLED: "1",
    });
    expect(all.map((f) => [f.provider, f.mediaType])).toEqual([
      ["tmdb", "film"],
      ["musicbrainz", "music"],
      ["openlibrary", "book"],
    ]);
  });
});
