import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpotifyClient } from "../../lib/connectors/spotify/client";
import type { SpotifyConfig } from "../../lib/connectors/spotify/config";
import { readSpotifyLibrary } from "../../lib/connectors/spotify/library";
import { SpotifyRevokedError, type TokenSet } from "../../lib/connectors/spotify/tokens";
import type { FavoriteDraft } from "../../lib/favorites/types";
import type { MediaCandidate } from "../../lib/media/resolve";
import { startFakeSpotify } from "../helpers/fake-spotify";

/** Spotify drafts always describe the title (they never name a canonical id directly). */
const cand = (d: FavoriteDraft) => d.candidate as MediaCandidate;

describe("Spotify Web API client against a fake Spotify", () => {
  let spotify: Awaited<ReturnType<typeof startFakeSpotify>>;
  let config: SpotifyConfig;
  beforeAll(async () => {
    spotify = await startFakeSpotify();
    config = {
      clientId: "test-client",
      redirectUri: "http://127.0.0.1/cb",
      accountsUrl: spotify.url,
      apiUrl: spotify.url,
    };
  });
  afterAll(() => spotify.close());

  it("reads top tracks across pages, saved tracks and artists' genres into music favorites", async () => {
    const client = new SpotifyClient(config, spotify.connect());
    const library = await readSpotifyLibrary(client, null);
    const titles = library.parsed.drafts.map((d) => cand(d).title);
    expect(titles).toContain("Paranoid Android"); // page 1 of top tracks
    const page2 = (await import("../../../shared/fixtures/spotify/top_tracks_page2.json")).default as {
      items: { name: string }[];
    };
    for (const t of page2.items) expect(titles).toContain(t.name); // followed `next` to page 2
    const paranoid = library.parsed.drafts.find((d) => cand(d).title === "Paranoid Android")!;
    expect(cand(paranoid).isrc).toBe("GBAYE9700113");
    expect(cand(paranoid).metadata?.creators).toEqual(["Radiohead"]);
    expect(cand(paranoid).metadata?.genres).toContain("art rock"); // from top artists
    expect(library.parsed.drafts.filter((d) => d.liked).length).toBeGreaterThan(0); // saved = liked
    expect(library.newestSavedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("keeps one favorite per recording when one ISRC appears on several releases", async () => {
    const client = new SpotifyClient(config, spotify.connect());
    const library = await readSpotifyLibrary(client, null);
    const isrcs = library.parsed.drafts.map((d) => cand(d).isrc).filter(Boolean);
    expect(new Set(isrcs).size).toBe(isrcs.length);
    expect(library.parsed.rows).toBeGreaterThan(library.parsed.drafts.length);
  });

  it("waits as long as a 429's Retry-After says, then carries on", async () => {
    const waits: number[] = [];
    spotify.state.failures.set("/v1/me/tracks", [{ status: 429, retryAfter: 3 }]);
    const client = new SpotifyClient(config, spotify.connect(), { sleep: async (ms) => void waits.push(ms) });
    const library = await readSpotifyLibrary(client, null);
    expect(waits).toEqual([3000]);
    expect(library.parsed.drafts.some((d) => d.liked)).toBe(true);
  });

  it("retries a 500 with back-off", async () => {
    const waits: number[] = [];
    spotify.state.failures.set("/v1/me/top/tracks", [{ status: 500 }, { status: 503 }]);
    const client = new SpotifyClient(config, spotify.connect(), { sleep: async (ms) => void waits.push(ms) });
    await readSpotifyLibrary(client, null);
    expect(waits).toEqual([500, 1000]);
  });

  it("refreshes an expired access token once and hands the new tokens to be stored", async () => {
    const stored: TokenSet[] = [];
    const tokens = spotify.connect();
    spotify.expireAllAccessTokens();
    const before = spotify.state.refreshCount;
    const client = new SpotifyClient(config, tokens, { onTokens: async (t) => void stored.push(t) });
    await readSpotifyLibrary(client, null);
    expect(spotify.state.refreshCount - before).toBe(1);
    expect(stored).toHaveLength(1);
    expect(stored[0].refreshToken).toBe(tokens.refreshToken); // Spotify kept the refresh token
    expect(stored[0].accessToken).not.toBe(tokens.accessToken);
  });

  it("reports a revoked refresh token as revoked, asking the user to connect again", async () => {
    const tokens = spotify.connect();
    spotify.expireAllAccessTokens();
    spotify.state.revoked = true;
    try {
      const client = new SpotifyClient(config, tokens);
      await expect(readSpotifyLibrary(client, null)).rejects.toThrow(SpotifyRevokedError);
      await expect(readSpotifyLibrary(client, null)).rejects.toThrow(/connect Spotify again/);
    } finally {
      spotify.state.revoked = false;
    }
  });

  it("stops a delta sync at saved tracks it has already seen", async () => {
    const client = new SpotifyClient(config, spotify.connect());
    const full = await readSpotifyLibrary(client, null);
    const delta = await readSpotifyLibrary(client, full.newestSavedAt);
    expect(delta.parsed.drafts.filter((d) => d.liked)).toHaveLength(0);
    expect(delta.newestSavedAt).toBe(full.newestSavedAt);
  });
});
