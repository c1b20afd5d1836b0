import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as spotifyCallback } from "../../app/api/v2/favorites/import/spotify/callback/route";
import { POST as postWelcome } from "../../app/api/v2/profile/welcome/route";
import { signAccessToken } from "../../lib/auth/tokens";
import type { SpotifyConfig } from "../../lib/connectors/spotify/config";
import { completeSpotifyAuth, startSpotifyAuth } from "../../lib/connectors/spotify/oauth";
import { syncSpotifyUser } from "../../lib/connectors/spotify/sync";
import { parseKeyRing } from "../../lib/crypto/secret-box";
import { runBatch } from "../../lib/jobs/batch";
import { drainQueue } from "../../lib/jobs/worker";
import { TmdbFetcher } from "../../lib/media/fetchers/tmdb";
import { mediaRefreshJob } from "../../lib/media/refresh-job";
import { resolveMedia } from "../../lib/media/resolve";
import { CircuitOpenError, configureService, ExternalServiceError } from "../../lib/outbound";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { startFakeServer } from "../helpers/fake-server";
import { startFakeSpotify } from "../helpers/fake-spotify";
import { serveRoutesFrom } from "../helpers/route-db";

type Mode = "ok" | "hang" | "503" | "429";

/** A fake service that can be switched to hang (never answer), answer 503, or 429 + Retry-After. */
async function switchableService(ok: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end("{}")) {
  const state = { mode: "ok" as Mode, hits: 0 };
  const hung: ServerResponse[] = [];
  const server = await startFakeServer((req, res) => {
    state.hits++;
    if (state.mode === "hang") return void hung.push(res);
    if (state.mode === "503") return void res.writeHead(503).end();
    if (state.mode === "429") return void res.writeHead(429, { "retry-after": "120" }).end();
    ok(req, res);
  });
  return {
    url: server.url,
    state,
    close: async () => {
      for (const res of hung) res.socket?.destroy();
      await server.close();
    },
  };
}

/** A TMDb that knows every film it is asked about (genre Drama). */
function tmdbAnswers(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url!, "http://127.0.0.1");
  const body = url.pathname.startsWith("/search/movie")
    ? { results: [{ id: 7, title: url.searchParams.get("query"), release_date: "1999-05-01" }] }
    : { id: 7, imdb_id: null, genres: [{ name: "Drama" }], keywords: { keywords: [] }, credits: { crew: [] } };
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const noWait = { sleep: async () => {} };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const film = { id: "local:film:x", mediaType: "film" as const, title: "X", year: null, metadata: {} };

// Timeouts of 0.5 s: much shorter ones can fire before a loaded machine has sent the request.
describe("an external service down or slow: timeouts and the circuit breaker", () => {
  let tmdb: Awaited<ReturnType<typeof switchableService>>;
  // A server per test: a late request from one test must not be counted in the next.
  beforeEach(async () => void (tmdb = await switchableService(tmdbAnswers)));
  afterEach(() => tmdb.close());

  it("a hanging service times out, its breaker opens after the threshold, and then nobody calls it", async () => {
    configureService("tmdb", { timeoutMs: 500, failureThreshold: 2 });
    tmdb.state.mode = "hang";
    tmdb.state.hits = 0;
    const fetcher = new TmdbFetcher({ apiUrl: tmdb.url, apiKey: "k" }, noWait);
    await expect(fetcher.fetch(film)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(tmdb.state.hits).toBe(2);
    const again = await fetcher.fetch(film).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CircuitOpenError);
    expect((again as CircuitOpenError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(tmdb.state.hits).toBe(2);
  });

  it("a 429 whose Retry-After is past our patience gives up at once and says when to come back", async () => {
    tmdb.state.mode = "429";
    tmdb.state.hits = 0;
    const fetcher = new TmdbFetcher({ apiUrl: tmdb.url, apiKey: "k" }, noWait);
    const err = await fetcher.fetch(film).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect((err as ExternalServiceError).retryAfterSeconds).toBe(120);
    expect(tmdb.state.hits).toBe(1);
  });
});

describeEachDriver("an external service down: jobs retry later, requests never wait", (ctx) => {
  vi.setConfig({ testTimeout: 30_000 });
  let tmdb: Awaited<ReturnType<typeof switchableService>>;
  let down: Awaited<ReturnType<typeof switchableService>>;
  let spotify: Awaited<ReturnType<typeof startFakeSpotify>>;
  const ring = parseKeyRing(`k1:${randomBytes(32).toString("base64")}`);

  beforeAll(
    async () => void ([tmdb, spotify] = await Promise.all([switchableService(tmdbAnswers), startFakeSpotify()])),
  );
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all([tmdb.close(), spotify.close()]);
  });
  // A fresh failing service per test: a late request from one test is not counted in the next.
  beforeEach(async () => void (down = await switchableService()));
  afterEach(() => down.close());

  it("media-refresh stops asking TMDb once its breaker opens, keeps the titles stale, and fetches them next run", async () => {
    configureService("tmdb", { failureThreshold: 3, halfOpenAfterMs: 200 });
    const ids: string[] = [];
    for (const title of ["Alpha", "Bravo", "Charlie", "Delta"]) {
      ids.push((await resolveMedia(ctx.db, { mediaType: "film", title, metadata: {} })).id);
    }
    const fetchers = () => [new TmdbFetcher({ apiUrl: tmdb.url, apiKey: "k" }, noWait)];
    tmdb.state.mode = "503";
    tmdb.state.hits = 0;
    const first = mediaRefreshJob(fetchers());
    await runBatch(ctx.db, first, { chunkSize: 2 });
    expect(first.stats.down.tmdb).toMatch(/TMDb/);
    expect(first.stats.failed).toBe(4);
    expect(tmdb.state.hits).toBe(3);
    const stale = await ctx.db.query("SELECT 1 FROM canonical_media WHERE id = ANY($1) AND fetched_at IS NULL", [ids]);
    expect(stale).toHaveLength(4);

    tmdb.state.mode = "ok";
    await pause(250); // the breaker's cool-down: the next call is its trial
    const second = mediaRefreshJob(fetchers());
    await runBatch(ctx.db, second, { chunkSize: 2 });
    expect(second.stats.updated).toBe(4);
    const rows = await ctx.db.query<{ genres: string[] }>(
      "SELECT metadata -> 'genres' AS genres FROM canonical_media WHERE id = ANY($1) AND fetched_at IS NOT NULL",
      [ids],
    );
    expect(rows.map((r) => r.genres)).toEqual(Array(4).fill(["drama"]));
  });

  it("a Spotify sync whose API is down is rescheduled, not dead-lettered, and succeeds on retry", async () => {
    configureService("spotify-api", { failureThreshold: 3, halfOpenAfterMs: 200 });
    const ok: SpotifyConfig = {
      clientId: "mesh-test",
      redirectUri: "http://127.0.0.1:3000/api/v2/favorites/import/spotify/callback",
      accountsUrl: spotify.url,
      apiUrl: spotify.url,
    };
    const userId = await createUser(ctx.db);
    const authorize = await fetch(await startSpotifyAuth(ctx.db, userId, ok, ring), { redirect: "manual" });
    const back = new URL(authorize.headers.get("location")!);
    await completeSpotifyAuth(
      ctx.db,
      { code: back.searchParams.get("code")!, state: back.searchParams.get("state")! },
      ok,
      ring,
    );
    // One attempt allowed: a plain failure would dead-letter it at once.
    await ctx.db.query("UPDATE jobs SET max_attempts = 1 WHERE kind = 'connector-sync' AND payload ->> 'userId' = $1", [
      userId,
    ]);
    let config: SpotifyConfig = { ...ok, apiUrl: down.url };
    const handlers = { "connector-sync": () => syncSpotifyUser(ctx.db, userId, config, ring, noWait).then(() => {}) };
    down.state.mode = "503";
    down.state.hits = 0;
    expect(await drainQueue(ctx.db, handlers)).toEqual({ done: 0, retried: 1, dead: 0 });
    expect(down.state.hits).toBe(3);
    const job = async () =>
      (
        await ctx.db.query<{ status: string; later: boolean; last_error: string }>(
          `SELECT status, run_after > now() AS later, last_error FROM jobs
           WHERE kind = 'connector-sync' AND payload ->> 'userId' = $1`,
          [userId],
        )
      )[0];
    expect(await job()).toMatchObject({ status: "queued", later: true });
    expect((await job()).last_error).toMatch(/^Spotify unavailable, retrying in \d+ s/);
    const [account] = await ctx.db.query<{ status: string }>(
      "SELECT status FROM connector_accounts WHERE user_id = $1",
      [userId],
    );
    expect(account.status).toBe("queued");
    // Not due yet: the worker leaves it alone.
    expect(await drainQueue(ctx.db, handlers)).toEqual({ done: 0, retried: 0, dead: 0 });

    config = ok; // Spotify is back; the retry comes due
    await pause(250);
    await ctx.db.query(
      "UPDATE jobs SET run_after = now() WHERE kind = 'connector-sync' AND payload ->> 'userId' = $1",
      [userId],
    );
    expect(await drainQueue(ctx.db, handlers)).toEqual({ done: 1, retried: 0, dead: 0 });
    expect((await job()).status).toBe("done");
    const favorites = await ctx.db.query("SELECT 1 FROM favorite_items WHERE user_id = $1 AND source = 'spotify'", [
      userId,
    ]);
    expect(favorites.length).toBeGreaterThan(0);
  });

  it("Spotify's callback answers 503 + Retry-After when the token endpoint hangs, and fails fast once open", async () => {
    configureService("spotify-accounts", { timeoutMs: 500, failureThreshold: 2 });
    vi.stubEnv("MESH_ENCRYPTION_KEYS", `k1:${randomBytes(32).toString("base64")}`);
    vi.stubEnv("SPOTIFY_CLIENT_ID", "mesh-test");
    vi.stubEnv("SPOTIFY_ACCOUNTS_URL", down.url);
    vi.stubEnv("SPOTIFY_API_URL", down.url);
    const restore = serveRoutesFrom(ctx.db);
    try {
      const userId = await createUser(ctx.db);
      down.state.mode = "hang";
      down.state.hits = 0;
      const callback = async () => {
        const { state } = Object.fromEntries(
          new URL(
            await startSpotifyAuth(
              ctx.db,
              userId,
              { clientId: "mesh-test", redirectUri: "http://x/cb", accountsUrl: down.url, apiUrl: down.url },
              parseKeyRing(process.env.MESH_ENCRYPTION_KEYS!),
            ),
          ).searchParams,
        );
        return spotifyCallback(
          new Request(`http://localhost/api/v2/favorites/import/spotify/callback?state=${state}&code=abc`),
        );
      };
      for (let i = 0; i < 3; i++) {
        const res = await callback();
        expect(res.status).toBe(503);
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect((await res.json()).error.code).toBe("service_unavailable");
      }
      // Two timeouts opened the breaker: the third callback did not call Spotify.
      expect(down.state.hits).toBe(2);
    } finally {
      restore();
    }
  });

  it("/welcome with the embeddings API hanging answers with tastePending and queues the re-embed", async () => {
    configureService("embeddings", { timeoutMs: 500, failureThreshold: 2 });
    vi.stubEnv("SUPABASE_JWT_SECRET", "faults-external-secret-0123456789abcdef");
    vi.stubEnv("EMBEDDINGS_URL", down.url);
    vi.stubEnv("EMBEDDINGS_MODEL", "test-model");
    const restore = serveRoutesFrom(ctx.db);
    try {
      const userId = await createUser(ctx.db);
      const { id } = await resolveMedia(ctx.db, { mediaType: "film", title: "Unembedded", metadata: {} });
      await ctx.db.query(
        "INSERT INTO favorite_items (user_id, media_id, source, rating) VALUES ($1, $2, 'manual', 5)",
        [userId, id],
      );
      down.state.mode = "hang";
      down.state.hits = 0;
      const welcome = async () =>
        postWelcome(
          new Request("http://localhost/api/v2/profile/welcome", {
            method: "POST",
            headers: { authorization: `Bearer ${await signAccessToken(userId)}` },
          }),
        );
      for (let i = 0; i < 2; i++) {
        const res = await welcome();
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ tastePending: true });
      }
      expect(down.state.hits).toBe(2); // the second request failed fast behind the open breaker
      const queued = await ctx.db.query(
        "SELECT 1 FROM jobs WHERE kind = 're-embed-user' AND status = 'queued' AND payload ->> 'userId' = $1",
        [userId],
      );
      expect(queued).toHaveLength(1);
      const [profile] = await ctx.db.query<{ done: boolean }>(
        "SELECT onboarded_at IS NOT NULL AS done FROM profiles WHERE user_id = $1",
        [userId],
      );
      expect(profile.done).toBe(true);
    } finally {
      restore();
    }
  });
});
