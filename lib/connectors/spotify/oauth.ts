import type { Db } from "../../db/types";
import { open, seal, type KeyRing } from "../../crypto/secret-box";
import { enqueueJob } from "../../jobs/enqueue";
import { SPOTIFY_SCOPES, type SpotifyConfig } from "./config";
import { codeChallenge, randomToken } from "./pkce";
import { exchangeCode, type TokenSet } from "./tokens";

export class OAuthStateError extends Error {}

/** Tokens are sealed to their owner and service, so a ciphertext moved to another row won't open. */
export const tokenContext = (userId: string) => `spotify:${userId}`;
/** The PKCE verifier is sealed to its state, for the same reason. */
export const verifierContext = (state: string) => `oauth:${state}`;

export async function sealTokens(ring: KeyRing, userId: string, tokens: TokenSet): Promise<string> {
  return seal(ring, JSON.stringify(tokens), tokenContext(userId));
}

export async function openTokens(ring: KeyRing, userId: string, sealed: string): Promise<TokenSet> {
  return JSON.parse(await open(ring, sealed, tokenContext(userId))) as TokenSet;
}

/** Step 1: remember a state and PKCE verifier for this user; answer Spotify's authorize URL. */
export async function startSpotifyAuth(db: Db, userId: string, config: SpotifyConfig, ring: KeyRing): Promise<string> {
  const verifier = randomToken(48);
  const state = randomToken(24);
  await db.query("DELETE FROM oauth_states WHERE expires_at < now()");
  await db.query("INSERT INTO oauth_states (state, user_id, service, verifier_sealed) VALUES ($1, $2, 'spotify', $3)", [
    state,
    userId,
    await seal(ring, verifier, verifierContext(state)),
  ]);
  const url = new URL(`${config.accountsUrl}/authorize`);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    response_type: "code",
    redirect_uri: config.redirectUri,
    code_challenge_method: "S256",
    code_challenge: await codeChallenge(verifier),
    state,
    scope: SPOTIFY_SCOPES.join(" "),
  }).toString();
  return url.toString();
}

/**
 * Step 2 (the callback): the state must be one we issued, unused and unexpired; then the code is
 * exchanged with the verifier, tokens are sealed into connector_accounts and a sync is queued.
 * A person who declined at Spotify gets the connector marked failed with that reason.
 */
export async function completeSpotifyAuth(
  db: Db,
  params: { state: string; code?: string; error?: string },
  config: SpotifyConfig,
  ring: KeyRing,
): Promise<{ userId: string }> {
  const [row] = await db.query<{ user_id: string; verifier_sealed: string }>(
    "DELETE FROM oauth_states WHERE state = $1 AND expires_at > now() RETURNING user_id, verifier_sealed",
    [params.state],
  );
  if (!row) throw new OAuthStateError("unknown or expired state: start connecting Spotify again");
  if (params.error || !params.code) {
    await db.query(
      `INSERT INTO connector_accounts (user_id, service, status, status_reason) VALUES ($1, 'spotify', 'failed', $2)
       ON CONFLICT (user_id, service) DO UPDATE SET status = 'failed', status_reason = EXCLUDED.status_reason`,
      [row.user_id, params.error === "access_denied" ? "you declined access at Spotify" : "Spotify sent no code"],
    );
    return { userId: row.user_id };
  }
  const verifier = await open(ring, row.verifier_sealed, verifierContext(params.state));
  const tokens = await exchangeCode(config, params.code, verifier);
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO connector_accounts (user_id, service, tokens_encrypted, status, status_reason)
       VALUES ($1, 'spotify', $2, 'queued', NULL)
       ON CONFLICT (user_id, service) DO UPDATE SET tokens_encrypted = EXCLUDED.tokens_encrypted,
         status = 'queued', status_reason = NULL`,
      [row.user_id, await sealTokens(ring, row.user_id, tokens)],
    );
    await enqueueJob(
      tx,
      "connector-sync",
      { userId: row.user_id, service: "spotify" },
      {
        dedupeKey: `spotify:${row.user_id}`,
      },
    );
  });
  return { userId: row.user_id };
}
