import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startFakeServer } from "./fake-server";

export const SPOTIFY_FIXTURES = join(process.cwd(), "..", "shared", "fixtures", "spotify");

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SPOTIFY_FIXTURES, name), "utf8"));
}

async function body(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(payload));
}

/** An album image as the Web API lists them (largest first). */
export interface SpotifyImageFixture {
  url: string;
  width: number | null;
  height: number | null;
}

/**
 * A saved-track item in the Web API's shape (a saved fixture with another title, ISRC and album
 * art), as if the person had saved it at `addedAt`.
 */
export function savedTrackItem(t: {
  name: string;
  isrc: string;
  artist: string;
  album: string;
  images: SpotifyImageFixture[];
  addedAt: string;
}): Record<string, unknown> {
  const [template] = (fixture("saved_tracks.json") as { items: { track: Record<string, unknown> }[] }).items;
  const id = Buffer.from(t.isrc).toString("base64url").padEnd(22, "x").slice(0, 22);
  const track = template.track as { album: Record<string, unknown>; artists: Record<string, unknown>[] };
  return {
    added_at: t.addedAt,
    track: {
      ...track,
      id,
      name: t.name,
      uri: `spotify:track:${id}`,
      href: `https://api.spotify.com/v1/tracks/${id}`,
      external_ids: { isrc: t.isrc },
      external_urls: { spotify: `https://open.spotify.com/track/${id}` },
      artists: [{ ...track.artists[0], name: t.artist }],
      album: { ...track.album, name: t.album, images: t.images },
    },
  };
}

/**
 * A fake of Spotify's accounts service and Web API on 127.0.0.1, speaking the real wire format:
 * PKCE authorize + token exchange, refresh (and invalid_grant once revoked), 401 for expired
 * access tokens, 429 with Retry-After and 5xx on request, offset and cursor paging over the
 * shared fixtures (paging links rewritten to this server).
 */
export async function startFakeSpotify() {
  const state = {
    challenges: new Map<string, { challenge: string; redirectUri: string }>(),
    validAccess: new Set<string>(),
    refreshTokens: new Set<string>(),
    revoked: false,
    /** Scripted failures: path prefix -> statuses to answer before serving normally. */
    failures: new Map<string, { status: number; retryAfter?: number }[]>(),
    refreshCount: 0,
    lastTokenForm: null as URLSearchParams | null,
    /** Saved-track items newer than the fixtures' (see savedTrackItem), served first on /v1/me/tracks. */
    newlySaved: [] as Record<string, unknown>[],
  };
  const server = await startFakeServer((req, res) => void handle(req, res));
  const base = server.url;
  const rewrite = (doc: unknown) => JSON.parse(JSON.stringify(doc).replaceAll("https://api.spotify.com", base));

  function issueTokens() {
    const access = `fake-access-${randomBytes(6).toString("hex")}`;
    const refresh = `fake-refresh-${randomBytes(6).toString("hex")}`;
    state.validAccess.add(access);
    state.refreshTokens.add(refresh);
    return { access, refresh };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, base);
    if (url.pathname === "/authorize") {
      const code = `code-${randomBytes(6).toString("hex")}`;
      state.challenges.set(code, {
        challenge: url.searchParams.get("code_challenge")!,
        redirectUri: url.searchParams.get("redirect_uri")!,
      });
      const to = new URL(url.searchParams.get("redirect_uri")!);
      to.searchParams.set("code", code);
      to.searchParams.set("state", url.searchParams.get("state")!);
      res.writeHead(302, { location: to.toString() }).end();
      return;
    }
    if (url.pathname === "/api/token" && req.method === "POST") {
      const form = new URLSearchParams(await body(req));
      state.lastTokenForm = form;
      if (form.get("grant_type") === "authorization_code") {
        const entry = state.challenges.get(form.get("code") ?? "");
        const verifier = form.get("code_verifier") ?? "";
        const computed = createHash("sha256").update(verifier).digest("base64url");
        if (!entry || entry.challenge !== computed || entry.redirectUri !== form.get("redirect_uri")) {
          return send(res, 400, { error: "invalid_grant", error_description: "Invalid authorization code" });
        }
        state.challenges.delete(form.get("code")!);
        const t = issueTokens();
        return send(res, 200, { ...fixture("token.json"), access_token: t.access, refresh_token: t.refresh });
      }
      if (form.get("grant_type") === "refresh_token") {
        state.refreshCount++;
        if (state.revoked || !state.refreshTokens.has(form.get("refresh_token") ?? "")) {
          return send(res, 400, { error: "invalid_grant", error_description: "Refresh token revoked" });
        }
        const t = issueTokens();
        // Spotify usually omits refresh_token on refresh: the old one stays valid.
        return send(res, 200, {
          access_token: t.access,
          token_type: "Bearer",
          expires_in: 3600,
          scope: "user-top-read",
        });
      }
      return send(res, 400, { error: "unsupported_grant_type" });
    }
    if (url.pathname.startsWith("/v1/")) {
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      if (!state.validAccess.has(token)) {
        return send(res, 401, { error: { status: 401, message: "The access token expired" } });
      }
      const scripted = [...state.failures.entries()].find(
        ([prefix, list]) => url.pathname.startsWith(prefix) && list.length,
      );
      if (scripted) {
        const failure = scripted[1].shift()!;
        if (failure.status === 429) {
          return send(res, 429, fixture("error_429.json"), { "retry-after": String(failure.retryAfter ?? 1) });
        }
        return send(res, failure.status, { error: { status: failure.status, message: "Server error" } });
      }
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const empty = { href: url.toString(), items: [], limit: 50, next: null, offset, previous: null, total: offset };
      if (url.pathname === "/v1/me/top/tracks") {
        return send(res, 200, rewrite(fixture(offset === 0 ? "top_tracks_page1.json" : "top_tracks_page2.json")));
      }
      if (url.pathname === "/v1/me/top/artists")
        return send(res, 200, rewrite(offset === 0 ? fixture("top_artists.json") : empty));
      if (url.pathname === "/v1/me/tracks") {
        if (offset !== 0) return send(res, 200, rewrite(empty));
        const page = fixture("saved_tracks.json") as { items: unknown[]; total: number };
        const items = [...state.newlySaved, ...page.items];
        return send(res, 200, rewrite({ ...page, items, total: items.length }));
      }
      if (url.pathname === "/v1/me/following") {
        const page = fixture("followed_artists.json") as { artists: { items: unknown[] } };
        if (!url.searchParams.get("after")) return send(res, 200, rewrite(page));
        return send(
          res,
          200,
          rewrite({ artists: { items: [], next: null, total: 3, cursors: { after: null }, limit: 2 } }),
        );
      }
      return send(res, 404, { error: { status: 404, message: "Service not found" } });
    }
    send(res, 404, { error: "not found" });
  }

  return {
    url: base,
    state,
    requests: server.requests,
    /** Tokens as if a user had already connected (for client tests). */
    connect() {
      const t = issueTokens();
      return {
        accessToken: t.access,
        refreshToken: t.refresh,
        expiresAt: Date.now() + 3600_000,
        scope: "user-top-read",
      };
    },
    expireAllAccessTokens() {
      state.validAccess.clear();
    },
    close: server.close,
  };
}
