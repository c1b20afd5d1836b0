import type { IncomingMessage, ServerResponse } from "node:http";
import { startFakeServer } from "./fake-server";

/** Scripted failures: path prefix -> statuses to answer before serving normally. */
export type ScriptedFailures = Map<string, { status: number; retryAfter?: string }[]>;

export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(payload));
}

/** Starts a fake whose handler answers a parsed request; scripted failures come first. */
async function startFake(
  failureBody: (status: number) => unknown,
  route: (url: URL, req: IncomingMessage, res: ServerResponse) => void,
) {
  const failures: ScriptedFailures = new Map();
  const seen: SeenRequest[] = [];
  const server = await startFakeServer((req, res) => {
    const url = new URL(req.url!, "http://127.0.0.1");
    seen.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const scripted = [...failures.entries()].find(([prefix, list]) => url.pathname.startsWith(prefix) && list.length);
    if (scripted) {
      const failure = scripted[1].shift()!;
      const headers: Record<string, string> = failure.retryAfter ? { "retry-after": failure.retryAfter } : {};
      return send(res, failure.status, failureBody(failure.status), headers);
    }
    route(url, req, res);
  });
  return { url: server.url, failures, seen, close: server.close };
}

// ---------------------------------------------------------------------------------------------
// TMDb API v3: /search/movie (paged results), /find/{imdb id}, /movie/{id} with appended
// keywords and credits; errors as {success, status_code, status_message}. Films carry
// poster_path (a file name under image.tmdb.org/t/p/<size>, or null when TMDb has no poster).

const TMDB_MOVIES: {
  id: number;
  imdb_id: string;
  title: string;
  original_title: string;
  release_date: string;
  poster_path: string | null;
  genres: { id: number; name: string }[];
  keywords: string[];
  directors: string[];
}[] = [
  {
    id: 78,
    imdb_id: "tt0083658",
    title: "Blade Runner",
    original_title: "Blade Runner",
    release_date: "1982-06-25",
    poster_path: "/63N9uy8nd9j7Eog2axPQ8lbr3Wj.jpg",
    genres: [
      { id: 878, name: "Science Fiction" },
      { id: 18, name: "Drama" },
      { id: 53, name: "Thriller" },
    ],
    keywords: ["android", "dystopia", "cyberpunk", "artificial intelligence"],
    directors: ["Ridley Scott"],
  },
  {
    id: 194,
    imdb_id: "tt0211915",
    title: "Amélie",
    original_title: "Le Fabuleux Destin d'Amélie Poulain",
    release_date: "2001-04-25",
    poster_path: "/nSxDa3M9aMvGVLoItzWTepQ5h5d.jpg",
    genres: [
      { id: 35, name: "Comedy" },
      { id: 10749, name: "Romance" },
    ],
    keywords: ["paris, france", "whimsical"],
    directors: ["Jean-Pierre Jeunet"],
  },
  {
    id: 16612,
    imdb_id: "tt0000001",
    title: "Carmencita",
    original_title: "Carmencita",
    release_date: "1894-03-10",
    poster_path: null,
    genres: [{ id: 99, name: "Documentary" }],
    keywords: ["dancer"],
    directors: ["William K.L. Dickson"],
  },
];

const tmdbError = (status: number) =>
  status === 429
    ? { success: false, status_code: 25, status_message: "Your request count (41) is over the allowed limit of (40)." }
    : status === 401
      ? { success: false, status_code: 7, status_message: "Invalid API key: You must be granted a valid key." }
      : status === 404
        ? { success: false, status_code: 34, status_message: "The resource you requested could not be found." }
        : { success: false, status_code: 11, status_message: "Internal error: Something went wrong, contact TMDb." };

const fold = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();

/** A fake TMDb (base URL ends in /3, as TMDB_API_URL does) accepting one v3 key or one v4 token. */
export async function startFakeTmdb(credentials = { apiKey: "test-key", readToken: "test-token" }) {
  /** poster_path answered instead of the film's own, by TMDb id (a test's odd answer). */
  const posterPaths = new Map<number, string | null>();
  const poster = (m: (typeof TMDB_MOVIES)[number]) => (posterPaths.has(m.id) ? posterPaths.get(m.id)! : m.poster_path);
  const summary = (m: (typeof TMDB_MOVIES)[number]) => ({
    adult: false,
    backdrop_path: null,
    poster_path: poster(m),
    id: m.id,
    title: m.title,
    original_title: m.original_title,
    release_date: m.release_date,
    genre_ids: m.genres.map((g) => g.id),
    overview: "",
    popularity: 50,
  });
  const fake = await startFake(tmdbError, (url, req, res) => {
    const bearer = req.headers.authorization === `Bearer ${credentials.readToken}`;
    if (!bearer && url.searchParams.get("api_key") !== credentials.apiKey) return send(res, 401, tmdbError(401));
    const path = url.pathname.replace(/^\/3/, "");
    if (path === "/search/movie") {
      const query = fold(url.searchParams.get("query") ?? "");
      const year = url.searchParams.get("year");
      const results = TMDB_MOVIES.filter(
        (m) =>
          (fold(m.title).includes(query) || fold(m.original_title).includes(query)) &&
          (!year || m.release_date.startsWith(year)),
      ).map(summary);
      return send(res, 200, { page: 1, results, total_pages: 1, total_results: results.length });
    }
    const find = /^\/find\/(tt\d+)$/.exec(path);
    if (find && url.searchParams.get("external_source") === "imdb_id") {
      const movie = TMDB_MOVIES.find((m) => m.imdb_id === find[1]);
      return send(res, 200, {
        movie_results: movie ? [summary(movie)] : [],
        person_results: [],
        tv_results: [],
        tv_episode_results: [],
        tv_season_results: [],
      });
    }
    const details = /^\/movie\/(\d+)$/.exec(path);
    const movie = details && TMDB_MOVIES.find((m) => m.id === Number(details[1]));
    if (movie) {
      const append = (url.searchParams.get("append_to_response") ?? "").split(",");
      return send(res, 200, {
        id: movie.id,
        imdb_id: movie.imdb_id,
        title: movie.title,
        original_title: movie.original_title,
        release_date: movie.release_date,
        genres: movie.genres,
        backdrop_path: null,
        poster_path: poster(movie),
        runtime: 117,
        ...(append.includes("keywords") && {
          keywords: { keywords: movie.keywords.map((name, i) => ({ id: 1000 + i, name })) },
        }),
        ...(append.includes("credits") && {
          credits: {
            cast: [],
            crew: [
              ...movie.directors.map((name) => ({ job: "Director", department: "Directing", name })),
              { job: "Producer", department: "Production", name: "Someone Else" },
            ],
          },
        }),
      });
    }
    send(res, 404, tmdbError(404));
  });
  return { ...fake, apiUrl: `${fake.url}/3`, posterPaths };
}

// ---------------------------------------------------------------------------------------------
// MusicBrainz web service v2 (fmt=json): /ws/2/isrc/<isrc>, /ws/2/recording/<mbid>,
// /ws/2/recording?query= search with scores, and the release browse /ws/2/release?recording=<mbid>
// (each release with its cover-art-archive summary; its release group with inc=release-groups).
// Clients without a User-Agent naming a contact are refused, as musicbrainz.org does.

interface MbRelease {
  id: string;
  title: string;
  status: "Official" | "Promotion" | "Bootleg";
  date: string;
  /** The Cover Art Archive's summary: any artwork, and whether one image is the front. */
  art: { artwork: boolean; front: boolean; back: boolean; count: number };
  group: { id: string; primaryType: string; secondaryTypes: string[] };
}

const MB_RECORDINGS: {
  id: string;
  isrcs: string[];
  title: string;
  length: number;
  "first-release-date": string;
  artist: { id: string; name: string };
  tags: { count: number; name: string }[];
  releases: MbRelease[];
}[] = [
  {
    id: "8f6b6e3e-6d7c-4a44-9c16-0d0a1e4a7e2b",
    isrcs: ["GBAYE9700113"],
    title: "Paranoid Android",
    length: 383493,
    "first-release-date": "1997-05-26",
    artist: { id: "a74b1b7f-71a5-4011-9441-d0b5e4122711", name: "Radiohead" },
    tags: [
      { count: 2, name: "alternative rock" },
      { count: 5, name: "art rock" },
      { count: 1, name: "progressive rock" },
    ],
    // Browse order is not "best first": a compilation with a front cover comes before the album.
    releases: [
      {
        id: "2a6e1d3b-0b8a-4c47-9a30-9c0a34e1f1aa",
        title: "Radiohead: The Best Of",
        status: "Official",
        date: "2008-06-02",
        art: { artwork: true, front: true, back: true, count: 2 },
        group: { id: "4b1a6d2c-3e5f-4a7b-8c9d-0e1f2a3b4c5d", primaryType: "Album", secondaryTypes: ["Compilation"] },
      },
      {
        id: "6c1f3f0a-7d2e-4b3a-9f0e-5b8d2c4a1e01",
        title: "Paranoid Android (live)",
        status: "Bootleg",
        date: "1997-01-01",
        art: { artwork: false, front: false, back: false, count: 0 },
        group: { id: "7e2d9c1b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", primaryType: "Album", secondaryTypes: ["Live"] },
      },
      {
        id: "52709206-8816-3c12-9ff6-f957f2f1eecf",
        title: "OK Computer",
        status: "Official",
        date: "1997-05-21",
        art: { artwork: true, front: true, back: true, count: 3 },
        group: { id: "b1392450-e666-3926-a536-22c65f834433", primaryType: "Album", secondaryTypes: [] },
      },
    ],
  },
  {
    id: "3d4e5f60-7182-4394-a5b6-c7d8e9f0a1b2",
    isrcs: ["GBAYE9500456"],
    title: "Talk Show Host",
    length: 251000,
    "first-release-date": "1996-01-22",
    artist: { id: "a74b1b7f-71a5-4011-9441-d0b5e4122711", name: "Radiohead" },
    tags: [{ count: 1, name: "alternative rock" }],
    // Artwork, but only a back image: the archive has no front to show.
    releases: [
      {
        id: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        title: "Street Spirit (Fade Out)",
        status: "Official",
        date: "1996-01-22",
        art: { artwork: true, front: false, back: true, count: 1 },
        group: { id: "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9", primaryType: "Single", secondaryTypes: [] },
      },
    ],
  },
];

const mbError = (status: number) =>
  status === 503
    ? {
        error:
          "Your requests are exceeding the allowable rate limit. Please see https://wiki.musicbrainz.org/XMLWebService for more information.",
      }
    : status === 404
      ? { error: "Not Found", help: "For usage, please see: https://musicbrainz.org/development/mmd" }
      : { error: "Internal server error" };

export async function startFakeMusicBrainz() {
  const recording = (r: (typeof MB_RECORDINGS)[number], inc: string[], score?: number) => ({
    id: r.id,
    ...(score !== undefined && { score }),
    title: r.title,
    length: r.length,
    video: false,
    disambiguation: "",
    "first-release-date": r["first-release-date"],
    ...(inc.includes("artist-credits") && {
      "artist-credit": [
        { name: r.artist.name, joinphrase: "", artist: { ...r.artist, "sort-name": r.artist.name, type: "Group" } },
      ],
    }),
    ...(inc.includes("tags") && { tags: r.tags }),
  });
  const release = (r: MbRelease, inc: string[]) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    date: r.date,
    country: "GB",
    barcode: null,
    packaging: null,
    disambiguation: "",
    quality: "normal",
    "text-representation": { language: "eng", script: "Latn" },
    "cover-art-archive": { ...r.art, darkened: false },
    ...(inc.includes("release-groups") && {
      "release-group": {
        id: r.group.id,
        title: r.title,
        "primary-type": r.group.primaryType,
        "secondary-types": r.group.secondaryTypes,
        "first-release-date": r.date,
        disambiguation: "",
      },
    }),
  });
  return startFake(mbError, (url, req, res) => {
    if (!/^MeshDiscovery\/\S+ \( .+ \)$/.test(req.headers["user-agent"] ?? "")) {
      return send(res, 403, { error: "Please provide a meaningful User-Agent" });
    }
    if (url.searchParams.get("fmt") !== "json") return send(res, 406, { error: "fmt=json expected" });
    const inc = (url.searchParams.get("inc") ?? "").split(/[ +]/);
    const isrc = /^\/ws\/2\/isrc\/([A-Z0-9]{12})$/.exec(url.pathname);
    if (isrc) {
      const found = MB_RECORDINGS.filter((r) => r.isrcs.includes(isrc[1]));
      if (!found.length) return send(res, 404, mbError(404));
      return send(res, 200, { isrc: isrc[1], recordings: found.map((r) => recording(r, inc)) });
    }
    const byId = /^\/ws\/2\/recording\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (byId) {
      const r = MB_RECORDINGS.find((x) => x.id === byId[1]);
      return r ? send(res, 200, recording(r, inc)) : send(res, 404, mbError(404));
    }
    const browsed = url.searchParams.get("recording");
    if (url.pathname === "/ws/2/release" && browsed) {
      const r = MB_RECORDINGS.find((x) => x.id === browsed);
      if (!r) return send(res, 404, mbError(404));
      return send(res, 200, {
        "release-count": r.releases.length,
        "release-offset": 0,
        releases: r.releases.map((rel) => release(rel, inc)),
      });
    }
    if (url.pathname === "/ws/2/recording") {
      const query = url.searchParams.get("query") ?? "";
      const hits = MB_RECORDINGS.filter((r) => query.toLowerCase().includes(`"${r.title.toLowerCase()}"`));
      return send(res, 200, {
        created: "2026-11-25T00:00:00.000Z",
        count: hits.length,
        offset: 0,
        recordings: hits.map((r) => recording(r, ["artist-credits", "tags"], 100)),
      });
    }
    send(res, 404, mbError(404));
  });
}

// ---------------------------------------------------------------------------------------------
// Open Library: /isbn/<isbn>.json redirects to the edition (/books/<id>.json), which names its
// work and authors; /works/<id>.json holds the subjects; /search.json for title + author, answering
// only the `fields` asked for. Editions and works list cover ids in `covers` (-1: a removed cover);
// search docs name one in `cover_i`.

const OL = {
  isbn: "9780439023481",
  edition: "OL24376286M",
  work: "OL5735363W",
  author: "OL1394359A",
  editionCover: 7262332,
  workCover: 12646537,
  catchingFireCover: 6399325,
};

export async function startFakeOpenLibrary() {
  const notFound = (key: string) => ({ error: "notfound", key });
  return startFake(
    () => ({ error: "Internal Server Error" }),
    (url, _req, res) => {
      const path = url.pathname;
      if (path === `/isbn/${OL.isbn}.json`) {
        res.writeHead(302, { location: `/books/${OL.edition}.json` }).end();
        return;
      }
      if (path === `/books/${OL.edition}.json`) {
        return send(res, 200, {
          key: `/books/${OL.edition}`,
          title: "The Hunger Games",
          authors: [{ key: `/authors/${OL.author}` }],
          works: [{ key: `/works/${OL.work}` }],
          covers: [-1, OL.editionCover],
          isbn_13: [OL.isbn],
          isbn_10: ["0439023483"],
          publish_date: "September 14, 2008",
          publishers: ["Scholastic Press"],
          type: { key: "/type/edition" },
        });
      }
      if (path === `/works/${OL.work}.json`) {
        return send(res, 200, {
          key: `/works/${OL.work}`,
          title: "The Hunger Games",
          covers: [OL.workCover],
          subjects: [
            "Fiction",
            "Dystopias",
            "Survival",
            "Reality television programs",
            "Young adult fiction",
            "nyt:series_books=2010-08-29",
            "Accessible book",
          ],
          authors: [{ author: { key: `/authors/${OL.author}` }, type: { key: "/type/author_role" } }],
          first_publish_date: "2008",
          type: { key: "/type/work" },
        });
      }
      if (path === `/authors/${OL.author}.json`) {
        return send(res, 200, { key: `/authors/${OL.author}`, name: "Suzanne Collins", type: { key: "/type/author" } });
      }
      if (path === "/search.json") {
        const title = (url.searchParams.get("title") ?? "").toLowerCase();
        const docs =
          title === "catching fire"
            ? [
                {
                  key: "/works/OL5735364W",
                  title: "Catching Fire",
                  author_name: ["Suzanne Collins"],
                  first_publish_year: 2009,
                  isbn: ["0439023491", "9780439023498"],
                  subject: ["Fiction", "Revolutions", "Television programs"],
                  cover_i: OL.catchingFireCover,
                },
              ]
            : [];
        const fields = url.searchParams.get("fields")?.split(",");
        const shown = fields
          ? docs.map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => fields.includes(k))))
          : docs;
        return send(res, 200, {
          numFound: shown.length,
          start: 0,
          numFoundExact: true,
          docs: shown,
          q: "",
          offset: null,
        });
      }
      send(res, 404, notFound(path.replace(/\.json$/, "")));
    },
  );
}

export const FAKE_IDS = {
  bladeRunnerImdb: "imdb:tt0083658",
  paranoidAndroidMbid: `mbid:${MB_RECORDINGS[0].id}`,
  paranoidAndroidIsrc: "GBAYE9700113",
  /** The Cover Art Archive's front image of OK Computer's release group. */
  okComputerCover: "https://coverartarchive.org/release-group/b1392450-e666-3926-a536-22c65f834433/front-250",
  talkShowHostIsrc: "GBAYE9500456",
  hungerGamesIsbn: `isbn:${OL.isbn}`,
  catchingFireIsbn: "isbn:9780439023498",
  /** The Hunger Games edition's own cover (its `covers` list starts with a removed -1). */
  hungerGamesCover: `https://covers.openlibrary.org/b/id/${OL.editionCover}-M.jpg`,
  catchingFireCover: `https://covers.openlibrary.org/b/id/${OL.catchingFireCover}-M.jpg`,
  bladeRunnerPoster: "https://image.tmdb.org/t/p/w342/63N9uy8nd9j7Eog2axPQ8lbr3Wj.jpg",
  amelieTmdbId: 194,
  carmencitaImdb: "imdb:tt0000001",
};
