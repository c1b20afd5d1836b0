import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { HttpError } from "../http/errors";
import { rolesFromClaims, ROLES_CLAIM, type Role } from "./roles";
import { jwtSecret } from "./secret";
import { recentlyVerified, rememberVerified } from "./verified-tokens";

/** Who is calling, as read from a verified Supabase access token. */
export interface Viewer {
  userId: string;
  role: "authenticated" | "service_role";
  /** From `app_metadata.mesh_roles` of the verified token (see roles.ts). */
  roles: Role[];
  claims: Record<string, unknown>;
}

/** A missing, malformed, expired or forged token: 401 with a Bearer challenge. */
export class AuthError extends HttpError {
  constructor(message: string) {
    super(401, "unauthorized", message, undefined, { "www-authenticate": 'Bearer realm="mesh"' });
    this.name = "AuthError";
  }
}

const claimsSchema = z.object({
  sub: z.uuid(),
  role: z.enum(["authenticated", "service_role"]),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
});

// Asymmetric keys come from the project's JWKS (Supabase's signing keys); cached per URL.
const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function projectJwks(): ReturnType<typeof createRemoteJWKSet> {
  const base = process.env.SUPABASE_URL?.replace(/\/+$/, "");
  if (!base) throw new AuthError("token is signed with a key pair but SUPABASE_URL is not set");
  const url = `${base}/auth/v1/.well-known/jwks.json`;
  let jwks = jwksCache.get(url);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url));
    jwksCache.set(url, jwks);
  }
  return jwks;
}

/**
 * Verifies a Supabase access token: HS256 with the JWT secret, or ES256/RS256 against the
 * project's JWKS. Anything else (alg none, forged, expired, wrong audience) is an AuthError.
 */
export async function verifyAccessToken(token: string): Promise<Viewer> {
  // The secret it verifies under now (configured or local): a changed secret drops what was verified.
  const secret = new TextDecoder().decode(jwtSecret());
  const known = recentlyVerified(token, secret);
  if (known) return known;
  const viewer = await verifyUncached(token);
  rememberVerified(token, secret, viewer);
  return viewer;
}

async function verifyUncached(token: string): Promise<Viewer> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new AuthError("malformed token");
  }
  try {
    const { payload } =
      alg === "HS256"
        ? await jwtVerify(token, jwtSecret(), { algorithms: ["HS256"], audience: "authenticated" })
        : alg === "ES256" || alg === "RS256"
          ? await jwtVerify(token, projectJwks(), { algorithms: [alg], audience: "authenticated" })
          : (() => {
              throw new AuthError(`unsupported token algorithm: ${alg ?? "none"}`);
            })();
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new AuthError("token lacks a user id (sub) or role");
    return { userId: claims.data.sub, role: claims.data.role, roles: rolesFromClaims(payload), claims: payload };
  } catch (err) {
    if (err instanceof AuthError) throw err;
    if (err instanceof errors.JWTExpired) throw new AuthError("token expired");
    if (err instanceof errors.JOSEError) throw new AuthError(`invalid token: ${err.code}`);
    throw err;
  }
}

/** The token of `Authorization: Bearer <token>`, unverified; null when there is none. */
export function bearerToken(request: Request): string | null {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? null;
}

/** Reads `Authorization: Bearer <token>` and verifies it. */
export async function viewerFromRequest(request: Request): Promise<Viewer> {
  const token = bearerToken(request);
  if (!token) throw new AuthError("missing bearer token (Authorization: Bearer <access token>)");
  return verifyAccessToken(token);
}

/**
 * Signs a token with the same claims Supabase Auth issues (sub, role, aud, exp, iat, and roles in
 * app_metadata), for the embedded mode, scripts and tests.
 */
export async function signAccessToken(
  userId: string,
  options: { expiresInSeconds?: number; role?: Viewer["role"]; roles?: readonly Role[] } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const appMetadata = options.roles?.length ? { app_metadata: { [ROLES_CLAIM]: [...options.roles] } } : {};
  return new SignJWT({ role: options.role ?? "authenticated", aal: "aal1", ...appMetadata })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setAudience("authenticated")
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
    .sign(jwtSecret());
}
