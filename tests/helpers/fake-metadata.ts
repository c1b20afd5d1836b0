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
// keywords and credits; errors as {success, status_code, status_message}.

const TMDB_MOVIES = [
  {
    id: 78,
    imdb_id: "tt0083658",
    title: "Blade Runner",
    original_title: "Blade Runner",
    release_date: "1982-06-25",
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
    genres: [
      { id: 35, name: "Comedy" },
      { id: 10749, name: "Romance" },
    ],
    keywords: ["paris, france", "whimsical"],
    directors: ["Jean-Pierre Jeunet"],
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
  const summary = (m: (typeof TMDB_MOVIES)[number]) => ({
    adult: false,
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
  return { ...fake, apiUrl: `${fake.url}/3` };
}

// ---------------------------------------------------------------------------------------------
// MusicBrainz web service v2 (fmt=json): /ws/2/isrc/<isrc>, /ws/2/recording/<mbid>, and
// /ws/2/recording?query= search with scores. Clients without a User-Agent naming a contact are
// refused, as musicbrainz.org does.

const MB_RECORDINGS = [
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
// work and authors; /works/<id>.json holds the subjects; /search.json for title + author.

const OL = {
  isbn: "9780439023481",
  edition: "OL24376286M",
  work: "OL5735363W",
  author: "OL1394359A",
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
                },
              ]
            : [];
        return send(res, 200, { numFound: docs.length, start: 0, numFoundExact: true, docs, q: "", offset: null });
      }
      send(res, 404, notFound(path.replace(/\.json$/, "")));
    },
  );
}

export const FAKE_IDS = {
  bladeRunnerImdb: "imdb:tt0083658",
  paranoidAndroidMbid: `mbid:${MB_RECORDINGS[0].id}`,
  paranoidAndroidIsrc: "GBAYE9700113",
  hungerGamesIsbn: `isbn:${OL.isbn}`,
  catchingFireIsbn: "isbn:9780439023498",
};
