import { authOrigin } from "../auth/config";
import { allowedOrigins, corsHeaders } from "../http/cors";
import { contentSecurityPolicy } from "../http/csp";
import { HttpError } from "../http/errors";
import { RateLimiter } from "../http/rate-limit";

/**
 * What every API answer gets, applied by the route wrapper (lib/route) rather than by proxy.ts:
 * per-address and per-user rate limits, CORS and the Content-Security-Policy. In the proxy, these
 * cost a second pass through Next.js per request (its proxy runs as a separate step with a request
 * and response of its own): on the cached candidates route the proxy was ~45% of the request's
 * cost (floor 750 -> 1,353 req/s at c=32 without it, bench/results/load-gates.md). The proxy keeps
 * pages and CORS preflights, which never reach a route.
 */
interface Guards {
  byAddress: RateLimiter;
  byUser: RateLimiter;
  origins: Set<string>;
  csp: string;
}

// One set per process, from run-time configuration, on globalThis: the limits are per process and
// must not split per route bundle or reset when Next's dev server reloads a module.
const holder = globalThis as unknown as { meshApiGuards?: Guards };

function guards(): Guards {
  holder.meshApiGuards ??= {
    // Requests per minute; burst = one minute's worth.
    byAddress: new RateLimiter(Number(process.env.MESH_RATE_LIMIT_IP ?? 600)),
    byUser: new RateLimiter(Number(process.env.MESH_RATE_LIMIT_USER ?? 300)),
    origins: allowedOrigins(),
    csp: runtimeCsp(),
  };
  return holder.meshApiGuards;
}

/** Forgets the limits and configuration read so far (tests that change the environment). */
export function resetApiGuards(): void {
  delete holder.meshApiGuards;
}

/** The CSP for this process: the browser may also connect to Supabase Auth. */
export function runtimeCsp(): string {
  const auth = authOrigin();
  return contentSecurityPolicy({ connectOrigins: auth ? [auth] : [], dev: process.env.NODE_ENV === "development" });
}

function clientIp(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip") || "local";
}

function tooMany(retryAfter: number, scope: string): HttpError {
  return new HttpError(429, "rate_limited", `too many requests (${scope}): retry after ${retryAfter} s`, undefined, {
    "retry-after": String(retryAfter),
  });
}

/** Throws a 429 when this address spent its budget (before anything else about the request). */
export function checkAddressLimit(request: Request): void {
  const decision = guards().byAddress.take(clientIp(request));
  if (!decision.allowed) throw tooMany(decision.retryAfterSeconds, "per address");
}

/**
 * Throws a 429 when this user spent their budget across addresses. For a verified token only (a
 * forged `sub` must not drain a victim's bucket), and before the request touches the database.
 */
export function checkUserLimit(userId: string): void {
  const decision = guards().byUser.take(userId);
  if (!decision.allowed) throw tooMany(decision.retryAfterSeconds, "per user");
}

/** CORS (for an allowed origin) and the CSP, set on an API answer. */
export function withApiHeaders(response: Response, request: Request): Response {
  const g = guards();
  const headers = { ...corsHeaders(request.headers.get("origin"), g.origins), "content-security-policy": g.csp };
  try {
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
    return response;
  } catch {
    // Response.redirect's headers are immutable: the same answer, with headers of its own.
    const copy = new Response(response.body, { status: response.status, headers: response.headers });
    for (const [k, v] of Object.entries(headers)) copy.headers.set(k, v);
    return copy;
  }
}

/** A CORS preflight: 204 with the CORS headers for an allowed origin, 403 for any other. */
export function preflight(request: Request): Response {
  const cors = corsHeaders(request.headers.get("origin"), guards().origins);
  return new Response(null, { status: Object.keys(cors).length ? 204 : 403, headers: cors });
}
