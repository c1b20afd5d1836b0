import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SignJWT, jwtVerify } from "jose";
import { startFakeServer } from "./fake-server";

/** The API version supabase-js sends (X-Supabase-Api-Version) and GoTrue echoes back. */
const API_VERSION = "2024-01-01";

export interface FakeAuthUser {
  id: string;
  email: string;
  password: string;
  confirmed: boolean;
  userMetadata: Record<string, unknown>;
  createdAt: string;
}

/** A message the fake "sent": a confirmation or magic link, as GoTrue would email it. */
export interface FakeMail {
  email: string;
  type: "magiclink" | "signup";
  link: string;
}

interface FakeSession {
  id: string;
  userId: string;
  refreshTokens: Set<string>;
  revoked: boolean;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += chunk;
  try {
    const parsed = JSON.parse(text || "{}");
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * A fake of Supabase Auth (GoTrue) on 127.0.0.1, speaking the wire format supabase-js uses:
 * `POST /auth/v1/token?grant_type=password|refresh_token`, `POST /auth/v1/signup`,
 * `POST /auth/v1/otp` (+ `GET /auth/v1/verify`, the link in the email, which redirects back with the
 * session in the URL fragment), `GET /auth/v1/user`, `POST /auth/v1/logout`. Access tokens are
 * HS256 JWTs with GoTrue's claims, signed with `jwtSecret` (the app's SUPABASE_JWT_SECRET). Errors
 * are GoTrue's: `{code, message}` with the 2024-01-01 API version header (what supabase-js sends),
 * `{code, error_code, msg}` without it, and, with `legacyErrors`, the old OAuth-style
 * `{error: "invalid_grant", error_description}` for failed sign-ins. Every request needs the
 * project's `apikey`, and cross-origin browser calls get CORS answers as Supabase gives them.
 */
export async function startFakeGoTrue(options: { jwtSecret: string; anonKey: string; tokenLifetime?: number }) {
  const key = new TextEncoder().encode(options.jwtSecret);
  const state = {
    users: new Map<string, FakeAuthUser>(),
    sessions: new Map<string, FakeSession>(),
    mails: [] as FakeMail[],
    otps: new Map<string, { email: string; redirectTo: string; type: FakeMail["type"] }>(),
    /** Every access token handed out, and whose it is. */
    issued: new Map<string, string>(),
    /** New sign-ups get a session at once (Supabase's "Confirm email" off), else a confirmation mail. */
    autoconfirm: true,
    /** Failed sign-ins answer in the pre-2024 OAuth error format. */
    legacyErrors: false,
    tokenLifetime: options.tokenLifetime ?? 3600,
  };
  const server = await startFakeServer((req, res) => void handle(req, res).catch((err) => fail(res, req, err)));
  const base = server.url;

  function userJson(u: FakeAuthUser) {
    const confirmedAt = u.confirmed ? u.createdAt : null;
    return {
      id: u.id,
      aud: "authenticated",
      role: "authenticated",
      email: u.email,
      email_confirmed_at: confirmedAt,
      phone: "",
      confirmed_at: confirmedAt,
      last_sign_in_at: confirmedAt,
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: u.userMetadata,
      identities: [
        {
          identity_id: u.id,
          id: u.id,
          user_id: u.id,
          identity_data: { email: u.email, email_verified: u.confirmed, phone_verified: false, sub: u.id },
          provider: "email",
          created_at: u.createdAt,
          updated_at: u.createdAt,
          email: u.email,
        },
      ],
      created_at: u.createdAt,
      updated_at: u.createdAt,
      is_anonymous: false,
    };
  }

  async function accessToken(u: FakeAuthUser, sessionId: string, method: string) {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      email: u.email,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: u.userMetadata,
      role: "authenticated",
      aal: "aal1",
      amr: [{ method, timestamp: now }],
      session_id: sessionId,
      is_anonymous: false,
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(`${base}/auth/v1`)
      .setSubject(u.id)
      .setAudience("authenticated")
      .setIssuedAt(now)
      .setExpirationTime(now + state.tokenLifetime)
      .sign(key);
    state.issued.set(token, u.id);
    return token;
  }

  async function newSession(u: FakeAuthUser, method: string, existing?: FakeSession) {
    const session = existing ?? { id: randomUUID(), userId: u.id, refreshTokens: new Set<string>(), revoked: false };
    state.sessions.set(session.id, session);
    const refresh = randomBytes(12).toString("base64url");
    session.refreshTokens.add(refresh);
    const expiresIn = state.tokenLifetime;
    return {
      access_token: await accessToken(u, session.id, method),
      token_type: "bearer",
      expires_in: expiresIn,
      expires_at: Math.floor(Date.now() / 1000) + expiresIn,
      refresh_token: refresh,
      user: userJson(u),
    };
  }

  function cors(req: IncomingMessage): Record<string, string> {
    return {
      "access-control-allow-origin": req.headers.origin ?? "*",
      "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
      "access-control-allow-headers": String(
        req.headers["access-control-request-headers"] ?? "authorization, apikey, content-type, x-client-info",
      ),
      "access-control-expose-headers": "x-supabase-api-version",
      "access-control-max-age": "600",
      vary: "Origin",
    };
  }

  function modernClient(req: IncomingMessage) {
    return req.headers["x-supabase-api-version"] === API_VERSION;
  }

  function send(req: IncomingMessage, res: ServerResponse, status: number, payload?: unknown) {
    const headers: Record<string, string> = { ...cors(req) };
    if (modernClient(req)) headers["x-supabase-api-version"] = API_VERSION;
    if (payload === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    res.writeHead(status, { ...headers, "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  }

  /** GoTrue's HTTPError, in the format the client's API version asks for. */
  function apiError(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string) {
    if (modernClient(req)) send(req, res, status, { code, message });
    else send(req, res, status, { code: status, error_code: code, msg: message });
  }

  function fail(res: ServerResponse, req: IncomingMessage, err: unknown) {
    if (res.headersSent) return;
    apiError(req, res, 500, "unexpected_failure", err instanceof Error ? err.message : String(err));
  }

  async function bearerSession(req: IncomingMessage) {
    const match = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
    if (!match) return null;
    try {
      const { payload } = await jwtVerify(match[1], key, { algorithms: ["HS256"], audience: "authenticated" });
      const session = state.sessions.get(String(payload.session_id));
      const user = [...state.users.values()].find((u) => u.id === payload.sub);
      if (!session || session.revoked || !user) return { error: "session_not_found" as const };
      return { session, user };
    } catch {
      return { error: "bad_jwt" as const };
    }
  }

  function validEmail(email: unknown): email is string {
    return typeof email === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
  }

  function createUser(email: string, password: string, metadata: unknown, confirmed: boolean): FakeAuthUser {
    const user: FakeAuthUser = {
      id: randomUUID(),
      email,
      password,
      confirmed,
      userMetadata: metadata && typeof metadata === "object" ? (metadata as Record<string, unknown>) : {},
      createdAt: new Date().toISOString(),
    };
    state.users.set(email, user);
    return user;
  }

  function mail(email: string, type: FakeMail["type"], redirectTo: string) {
    const token = randomBytes(16).toString("hex");
    state.otps.set(token, { email, redirectTo, type });
    const link = `${base}/auth/v1/verify?${new URLSearchParams({ token, type, redirect_to: redirectTo })}`;
    state.mails.push({ email, type, link });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, base);
    if (req.method === "OPTIONS") return send(req, res, 200);
    // The email link is opened by the person's browser, without the project key.
    if (req.method === "GET" && url.pathname === "/auth/v1/verify") return verify(req, res, url);
    if (req.headers.apikey !== options.anonKey) {
      // Supabase's API gateway, before the request reaches Auth.
      return send(req, res, 401, { message: "Invalid API key", hint: "Double check your Supabase `anon` key." });
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === "POST /auth/v1/token") return token(req, res, url.searchParams.get("grant_type"));
    if (route === "POST /auth/v1/signup") return signup(req, res, url);
    if (route === "POST /auth/v1/otp") return otp(req, res, url);
    if (route === "GET /auth/v1/user") {
      const found = await bearerSession(req);
      if (!found) return apiError(req, res, 401, "no_authorization", "This endpoint requires a valid Bearer token");
      if ("error" in found) return apiError(req, res, 403, found.error!, "invalid JWT: session not found");
      return send(req, res, 200, userJson(found.user));
    }
    if (route === "POST /auth/v1/logout") {
      const found = await bearerSession(req);
      if (!found) return apiError(req, res, 401, "no_authorization", "This endpoint requires a valid Bearer token");
      if ("error" in found) return apiError(req, res, 403, found.error!, "invalid JWT: session not found");
      const scope = url.searchParams.get("scope") ?? "global";
      for (const s of state.sessions.values()) {
        const mine = s.userId === found.user.id;
        if ((scope === "global" && mine) || (scope === "local" && s === found.session)) s.revoked = true;
        if (scope === "others" && mine && s !== found.session) s.revoked = true;
      }
      return send(req, res, 204);
    }
    return apiError(req, res, 404, "not_found", "Not found");
  }

  async function token(req: IncomingMessage, res: ServerResponse, grant: string | null) {
    const body = await readBody(req);
    if (grant === "password") {
      const user = typeof body.email === "string" ? state.users.get(body.email.trim().toLowerCase()) : undefined;
      if (!user || user.password !== body.password) {
        if (state.legacyErrors) {
          return send(req, res, 400, { error: "invalid_grant", error_description: "Invalid login credentials" });
        }
        return apiError(req, res, 400, "invalid_credentials", "Invalid login credentials");
      }
      if (!user.confirmed) return apiError(req, res, 400, "email_not_confirmed", "Email not confirmed");
      return send(req, res, 200, await newSession(user, "password"));
    }
    if (grant === "refresh_token") {
      const presented = String(body.refresh_token ?? "");
      const session = [...state.sessions.values()].find((s) => !s.revoked && s.refreshTokens.has(presented));
      const user = session && [...state.users.values()].find((u) => u.id === session.userId);
      if (!session || !user) {
        return apiError(req, res, 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
      }
      session.refreshTokens.delete(presented); // rotation: each refresh token works once
      return send(req, res, 200, await newSession(user, "token_refresh", session));
    }
    return apiError(req, res, 400, "validation_failed", `unsupported_grant_type: ${grant ?? "none"}`);
  }

  async function signup(req: IncomingMessage, res: ServerResponse, url: URL) {
    const body = await readBody(req);
    const email = typeof body.email === "string" ? body.email.trim().toLowerCase() : "";
    if (!validEmail(email)) {
      return apiError(req, res, 400, "email_address_invalid", "Unable to validate email address: invalid format");
    }
    if (typeof body.password !== "string" || body.password.length < 6) {
      return send(req, res, 422, {
        ...(modernClient(req)
          ? { code: "weak_password", message: "Password should be at least 6 characters." }
          : { code: 422, error_code: "weak_password", msg: "Password should be at least 6 characters." }),
        weak_password: { reasons: ["length"] },
      });
    }
    if (state.users.has(email)) return apiError(req, res, 422, "user_already_exists", "User already registered");
    const user = createUser(email, body.password, body.data, state.autoconfirm);
    if (state.autoconfirm) return send(req, res, 200, await newSession(user, "password"));
    mail(email, "signup", url.searchParams.get("redirect_to") ?? base);
    return send(req, res, 200, userJson(user));
  }

  async function otp(req: IncomingMessage, res: ServerResponse, url: URL) {
    const body = await readBody(req);
    const email = typeof body.email === "string" ? body.email.trim().toLowerCase() : "";
    if (!validEmail(email)) {
      return apiError(req, res, 400, "email_address_invalid", "Unable to validate email address: invalid format");
    }
    if (!state.users.has(email)) {
      if (body.create_user === false) return apiError(req, res, 422, "otp_disabled", "Signups not allowed for otp");
      createUser(email, randomBytes(12).toString("hex"), body.data, false);
    }
    mail(email, "magiclink", url.searchParams.get("redirect_to") ?? base);
    return send(req, res, 200, {});
  }

  async function verify(req: IncomingMessage, res: ServerResponse, url: URL) {
    const pending = state.otps.get(url.searchParams.get("token") ?? "");
    const redirectTo = pending?.redirectTo ?? url.searchParams.get("redirect_to") ?? base;
    const user = pending && state.users.get(pending.email);
    if (!pending || !user) {
      const error = new URLSearchParams({
        error: "access_denied",
        error_code: "otp_expired",
        error_description: "Email link is invalid or has expired",
      });
      res.writeHead(303, { location: `${redirectTo}#${error}` });
      return res.end();
    }
    state.otps.delete(url.searchParams.get("token")!);
    user.confirmed = true;
    const session = await newSession(user, "otp");
    const fragment = new URLSearchParams({
      access_token: session.access_token,
      expires_at: String(session.expires_at),
      expires_in: String(session.expires_in),
      refresh_token: session.refresh_token,
      token_type: "bearer",
      type: pending.type,
    });
    res.writeHead(303, { location: `${redirectTo}#${fragment}` });
    res.end();
  }

  return {
    url: base,
    state,
    requests: server.requests,
    /** A confirmed user who can sign in with this password. */
    addUser(email: string, password: string, userMetadata: Record<string, unknown> = {}): FakeAuthUser {
      return createUser(email.toLowerCase(), password, userMetadata, true);
    },
    close: server.close,
  };
}
