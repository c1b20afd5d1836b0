import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { GET as spotifyCallback } from "../../app/api/v2/favorites/import/spotify/callback/route";
import { POST as importService } from "../../app/api/v2/favorites/import/[service]/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { serveRoutesFrom } from "../helpers/route-db";
import { parseKeyRing } from "../../lib/crypto/secret-box";
import type { SpotifyConfig } from "../../lib/connectors/spotify/config";
import { completeSpotifyAuth, OAuthStateError, startSpotifyAuth } from "../../lib/connectors/spotify/oauth";
import { syncSpotifyUser } from "../../lib/connectors/spotify/sync";
import { SpotifyRevokedError } from "../../lib/connectors/spotify/tokens";
import { favoritesStatus } from "../../lib/favorites/status";
import { resolveMedia } from "../../lib/media/resolve";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { savedTrackItem, startFakeSpotify } from "../helpers/fake-spotify";

describeEachDriver("connecting Spotify (OAuth PKCE) and syncing", (ctx) => {
  let spotify: Awaited<ReturnType<typeof startFakeSpotify>>;
  let config: SpotifyConfig;
  const ring = parseKeyRing(`k1:${randomBytes(32).toString("base64")}`);
  let userId = "";

  /** What the browser does: follow the authorize URL, land on our callback with code and state. */
  async function authorize(url: string): Promise<{ code: string; state: string }> {
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get("location")!);
    return { code: back.searchParams.get("code")!, state: back.searchParams.get("state")! };
  }

  beforeAll(async () => {
    spotify = await startFakeSpotify();
    config = {
      clientId: "mesh-test",
      redirectUri: "http://127.0.0.1:3000/api/v2/favorites/import/spotify/callback",
      accountsUrl: spotify.url,
      apiUrl: spotify.url,
    };
    userId = await createUser(ctx.db);
  });
  afterAll(() => spotify.close());

  it("asks only for read-only scopes, with a PKCE S256 challenge and a state", async () => {
    const url = new URL(await startSpotifyAuth(ctx.db, userId, config, ring));
    expect(url.searchParams.get("scope")).toBe("user-top-read user-library-read user-follow-read");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")!.length).toBeGreaterThanOrEqual(16);
  });

  it("finishes the flow: tokens sealed at rest, a sync queued, the status says queued", async () => {
    const { code, state } = await authorize(await startSpotifyAuth(ctx.db, userId, config, ring));
    await completeSpotifyAuth(ctx.db, { code, state }, config, ring);
    const [account] = await ctx.db.query<{ tokens_encrypted: string; status: string }>(
      "SELECT tokens_encrypted, status FROM connector_accounts WHERE user_id = $1 AND service = 'spotify'",
      [userId],
    );
    expect(account.status).toBe("queued");
    expect(account.tokens_encrypted).toMatch(/^v1\.k1\./);
    expect(account.tokens_encrypted).not.toContain("fake-access-");
    const jobs = await ctx.db.query("SELECT 1 FROM jobs WHERE kind = 'connector-sync' AND payload ->> 'userId' = $1", [
      userId,
    ]);
    expect(jobs).toHaveLength(1);
    expect((await favoritesStatus(ctx.db, userId)).sources.find((s) => s.source === "spotify")?.state).toBe("queued");
  });

  it("refuses a state used twice, or one we never issued", async () => {
    const { code, state } = await authorize(await startSpotifyAuth(ctx.db, userId, config, ring));
    await completeSpotifyAuth(ctx.db, { code, state }, config, ring);
    await expect(completeSpotifyAuth(ctx.db, { code, state }, config, ring)).rejects.toThrow(OAuthStateError);
    await expect(
      completeSpotifyAuth(ctx.db, { code, state: "forged-state-value-123456" }, config, ring),
    ).rejects.toThrow(OAuthStateError);
  });

  it("syncs the library into music favorites, and a second sync changes nothing", async () => {
    const first = (await syncSpotifyUser(ctx.db, userId, config, ring))!;
    expect(first.imported).toBeGreaterThan(5);
    const rows = await ctx.db.query<{ title: string; liked: boolean }>(
      `SELECT m.title, f.liked FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id
       WHERE f.user_id = $1 AND f.source = 'spotify'`,
      [userId],
    );
    expect(rows.map((r) => r.title)).toContain("Paranoid Android");
    expect(rows.some((r) => r.liked)).toBe(true);
    const status = (await favoritesStatus(ctx.db, userId)).sources.find((s) => s.source === "spotify")!;
    expect(status.state).toBe("idle");
    expect(status.counts.imported).toBe(first.imported);
    const [before] = await ctx.db.query<{ n: number; changed: string }>(
      "SELECT count(*)::int AS n, max(updated_at)::text AS changed FROM favorite_items WHERE user_id = $1",
      [userId],
    );
    await syncSpotifyUser(ctx.db, userId, config, ring);
    const [after] = await ctx.db.query<{ n: number; changed: string }>(
      "SELECT count(*)::int AS n, max(updated_at)::text AS changed FROM favorite_items WHERE user_id = $1",
      [userId],
    );
    expect(after).toEqual(before);
  });

  it("stores album art with the tracks it adds, and keeps a cover the catalogue already had", async () => {
    const cover = async (title: string) => {
      const rows = await ctx.db.query<{ cover_url: string | null }>(
        `SELECT m.cover_url FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id
         WHERE f.user_id = $1 AND f.source = 'spotify' AND m.title = $2`,
        [userId, title],
      );
      expect(rows).toHaveLength(1);
      return rows[0].cover_url;
    };
    // The first sync created Hoppípolla: its album's 300 px rendition (Spotify lists 640, 300, 64).
    expect(await cover("Hoppípolla")).toBe("https://i.scdn.co/image/ab67616d00001e024aa718320f7b386a500fb64c");

    // A song the catalogue knows already, with the Cover Art Archive's cover.
    const archived = "https://coverartarchive.org/release-group/0b6b4ba0-d36f-47bd-b4ea-6a5b91842d29/front-250";
    await resolveMedia(ctx.db, {
      mediaType: "music",
      title: "Reckoner",
      isrc: "GBSTK0700045",
      metadata: { creators: ["Radiohead"] },
      coverUrl: archived,
    });
    const image = (url: string, size: number) => ({ url, width: size, height: size });
    spotify.state.newlySaved = [
      savedTrackItem({
        name: "Reckoner",
        isrc: "GBSTK0700045",
        artist: "Radiohead",
        album: "In Rainbows",
        images: [image("https://i.scdn.co/image/ab67616d00001e02inrainbows", 300)],
        addedAt: "2026-11-20T10:00:00Z",
      }),
      savedTrackItem({
        name: "Svefn-g-englar",
        isrc: "ISXXX9900001",
        artist: "Sigur Rós",
        album: "Ágætis byrjun",
        images: [], // an album without art
        addedAt: "2026-11-19T10:00:00Z",
      }),
      savedTrackItem({
        name: "Archangel",
        isrc: "GBXXX0600001",
        artist: "Burial",
        album: "Untrue",
        // Plain http would be mixed content on the https pages (and the column refuses it).
        images: [image("http://i.scdn.co/image/untrue640", 640), image("http://i.scdn.co/image/untrue300", 300)],
        addedAt: "2026-11-18T10:00:00Z",
      }),
    ];
    try {
      const delta = (await syncSpotifyUser(ctx.db, userId, config, ring))!;
      expect(delta.imported).toBeGreaterThanOrEqual(3);
    } finally {
      spotify.state.newlySaved = [];
    }
    expect(await cover("Reckoner")).toBe(archived); // not replaced by Spotify's
    expect(await cover("Svefn-g-englar")).toBeNull();
    expect(await cover("Archangel")).toBeNull(); // the sync went through without the http image
    expect(await cover("Hoppípolla")).toBe("https://i.scdn.co/image/ab67616d00001e024aa718320f7b386a500fb64c");
  });

  it("reports a revoked grant as failed with a reason, and forgets the dead tokens", async () => {
    spotify.expireAllAccessTokens();
    spotify.state.revoked = true;
    try {
      await expect(syncSpotifyUser(ctx.db, userId, config, ring)).rejects.toThrow(SpotifyRevokedError);
    } finally {
      spotify.state.revoked = false;
    }
    const status = (await favoritesStatus(ctx.db, userId)).sources.find((s) => s.source === "spotify")!;
    expect(status.state).toBe("failed");
    expect(status.reason).toMatch(/revoked.*connect Spotify again/);
    const [account] = await ctx.db.query<{ tokens_encrypted: string | null }>(
      "SELECT tokens_encrypted FROM connector_accounts WHERE user_id = $1 AND service = 'spotify'",
      [userId],
    );
    expect(account.tokens_encrypted).toBeNull();
    // Favorites already imported stay: revoking access is not deleting data.
    const kept = await ctx.db.query("SELECT 1 FROM favorite_items WHERE user_id = $1 AND source = 'spotify'", [userId]);
    expect(kept.length).toBeGreaterThan(0);
  });

  it("marks the connector failed when the person declines at Spotify", async () => {
    const other = await createUser(ctx.db);
    const url = new URL(await startSpotifyAuth(ctx.db, other, config, ring));
    await completeSpotifyAuth(ctx.db, { state: url.searchParams.get("state")!, error: "access_denied" }, config, ring);
    const status = (await favoritesStatus(ctx.db, other)).sources.find((s) => s.source === "spotify")!;
    expect(status).toMatchObject({ state: "failed", reason: "you declined access at Spotify" });
  });

  it("runs the same flow over HTTP: authorize URL, callback redirect, and clear errors", async () => {
    const key = randomBytes(32).toString("base64");
    vi.stubEnv("SUPABASE_JWT_SECRET", "spotify-route-test-secret-0123456789");
    vi.stubEnv("MESH_ENCRYPTION_KEYS", `k1:${key}`);
    const restore = serveRoutesFrom(ctx.db);
    try {
      const user = await createUser(ctx.db);
      const post = () =>
        signAccessToken(user).then((t) =>
          importService(
            new Request("http://localhost/api/v2/favorites/import/spotify", {
              method: "POST",
              headers: { authorization: `Bearer ${t}` },
            }),
            { params: Promise.resolve({ service: "spotify" }) },
          ),
        );
      vi.stubEnv("SPOTIFY_CLIENT_ID", "");
      const unconfigured = await post();
      expect(unconfigured.status).toBe(503);
      expect((await unconfigured.json()).error.message).toMatch(/SPOTIFY_CLIENT_ID/);

      vi.stubEnv("SPOTIFY_CLIENT_ID", "mesh-test");
      vi.stubEnv("SPOTIFY_ACCOUNTS_URL", spotify.url);
      vi.stubEnv("SPOTIFY_API_URL", spotify.url);
      vi.stubEnv("SPOTIFY_REDIRECT_URI", "http://localhost:3000/api/v2/favorites/import/spotify/callback");
      const res = await post();
      expect(res.status).toBe(200);
      const { authorizeUrl } = await res.json();
      const { code, state } = await authorize(authorizeUrl);
      const back = await spotifyCallback(
        new Request(`http://localhost:3000/api/v2/favorites/import/spotify/callback?code=${code}&state=${state}`),
      );
      expect(back.status).toBe(303);
      expect(back.headers.get("location")).toBe("http://localhost:3000/favorites?spotify=queued");
      const replay = await spotifyCallback(
        new Request(`http://localhost:3000/api/v2/favorites/import/spotify/callback?code=${code}&state=${state}`),
      );
      expect(replay.status).toBe(400);
      expect((await replay.json()).error.field).toBe("state");
      const malformed = await spotifyCallback(
        new Request("http://localhost:3000/api/v2/favorites/import/spotify/callback"),
      );
      expect(malformed.status).toBe(400);
      expect((await malformed.json()).error.field).toBe("state");
    } finally {
      restore();
      vi.unstubAllEnvs();
    }
  });
});
