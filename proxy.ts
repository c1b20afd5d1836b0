import { NextResponse, type NextRequest } from "next/server";
import { authOrigin } from "@/lib/auth/config";
import { bearerToken, verifyAccessToken } from "@/lib/auth/tokens";
import { allowedOrigins, corsHeaders } from "@/lib/http/cors";
import { contentSecurityPolicy } from "@/lib/http/csp";
import { RateLimiter } from "@/lib/http/rate-limit";

// Per-IP and per-user limits for every API route (requests per minute; burst = one minute's worth).
const ipLimiter = new RateLimiter(Number(process.env.MESH_RATE_LIMIT_IP ?? 600));
const userLimiter = new RateLimiter(Number(process.env.MESH_RATE_LIMIT_USER ?? 300));
const origins = allowedOrigins();
// Per process, from run-time configuration: the browser may also connect to Supabase Auth.
const auth = authOrigin();
const csp = contentSecurityPolicy({
  connectOrigins: auth ? [auth] : [],
  dev: process.env.NODE_ENV === "development",
});

function clientIp(request: NextRequest): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip") || "local";
}

function tooMany(retryAfter: number, cors: Record<string, string>, scope: string): NextResponse {
  return NextResponse.json(
    { error: { code: "rate_limited", message: `too many requests (${scope}): retry after ${retryAfter} s` } },
    { status: 429, headers: { "retry-after": String(retryAfter), ...cors } },
  );
}

/** The user a request is for, only if its token verifies: a forged `sub` must not drain a victim's bucket. */
async function verifiedUser(request: NextRequest): Promise<string | null> {
  const token = bearerToken(request);
  if (!token) return null;
  return verifyAccessToken(token).then(
    (v) => v.userId,
    () => null,
  );
}

/** Pages and API answers: the CSP; API routes also get CORS and the rate limits. */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  // /v1/* is API too: next.config.ts rewrites it to app/api/v1/ after this proxy has run.
  const path = request.nextUrl.pathname;
  if (!path.startsWith("/api/") && !path.startsWith("/v1/")) {
    const page = NextResponse.next();
    page.headers.set("content-security-policy", csp);
    return page;
  }
  const cors = corsHeaders(request.headers.get("origin"), origins);
  if (request.method === "OPTIONS") {
    return new NextResponse(null, { status: Object.keys(cors).length ? 204 : 403, headers: cors });
  }
  const byIp = ipLimiter.take(clientIp(request));
  if (!byIp.allowed) return tooMany(byIp.retryAfterSeconds, cors, "per address");
  const user = await verifiedUser(request);
  if (user) {
    const byUser = userLimiter.take(user);
    if (!byUser.allowed) return tooMany(byUser.retryAfterSeconds, cors, "per user");
  }
  const response = NextResponse.next();
  for (const [k, v] of Object.entries(cors)) response.headers.set(k, v);
  response.headers.set("content-security-policy", csp);
  return response;
}

// Everything but Next's static build output (scripts and styles need no CSP of their own).
export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
