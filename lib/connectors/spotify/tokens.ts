import { z } from "zod";
import { ExternalServiceError, serviceFetch } from "../../outbound";
import type { SpotifyConfig } from "./config";

export const tokenSetSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** epoch ms */
  expiresAt: z.number(),
  scope: z.string(),
});
export type TokenSet = z.infer<typeof tokenSetSchema>;

const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.string(),
  expires_in: z.number(),
  refresh_token: z.string().optional(),
  scope: z.string().default(""),
});

/** The user revoked our access (or the refresh token is otherwise dead): needs a new connect. */
export class SpotifyRevokedError extends Error {
  constructor(detail: string) {
    super(`Spotify access was revoked (${detail}): connect Spotify again`);
  }
}

async function tokenRequest(
  config: SpotifyConfig,
  form: Record<string, string>,
  previous?: TokenSet,
): Promise<TokenSet> {
  // Through the `spotify-accounts` breaker and timeout: the callback route waits on this one.
  const res = await serviceFetch("spotify-accounts", `${config.accountsUrl}/api/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...form, client_id: config.clientId }),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status === 400 && body.error === "invalid_grant") {
    throw new SpotifyRevokedError(String(body.error_description ?? "invalid_grant"));
  }
  if (res.status === 429 || res.status >= 500) {
    const seconds = Number(res.headers.get("retry-after"));
    throw new ExternalServiceError(
      "Spotify accounts",
      `token endpoint answered ${res.status}`,
      Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined,
    );
  }
  if (!res.ok) throw new Error(`Spotify token endpoint answered ${res.status}`);
  const parsed = tokenResponse.parse(body);
  const refreshToken = parsed.refresh_token ?? previous?.refreshToken;
  if (!refreshToken) throw new Error("Spotify token response lacks a refresh token");
  return {
    accessToken: parsed.access_token,
    refreshToken,
    expiresAt: Date.now() + parsed.expires_in * 1000,
    scope: parsed.scope || previous?.scope || "",
  };
}

/** Authorization code + PKCE verifier -> tokens (no client secret: a public client). */
export function exchangeCode(config: SpotifyConfig, code: string, verifier: string): Promise<TokenSet> {
  return tokenRequest(config, {
    grant_type: "authorization_code",
    code,
    redirect_uri: config.redirectUri,
    code_verifier: verifier,
  });
}

/** A fresh access token; Spotify may or may not rotate the refresh token. */
export function refreshTokens(config: SpotifyConfig, tokens: TokenSet): Promise<TokenSet> {
  return tokenRequest(config, { grant_type: "refresh_token", refresh_token: tokens.refreshToken }, tokens);
}
