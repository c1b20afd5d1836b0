import { NextResponse, type NextRequest } from "next/server";
import { preflight, runtimeCsp } from "@/lib/route/api-guards";

// Per process, from run-time configuration: the browser may also connect to Supabase Auth.
const csp = runtimeCsp();

/**
 * Pages get the CSP here; the API's CORS preflights are answered here. Every other API request
 * skips the proxy (see the matcher): the route wrapper applies the API's rate limits, CORS and CSP
 * itself (lib/route/api-guards.ts), because a pass through this proxy cost almost half of a cached
 * API answer.
 */
export async function proxy(request: NextRequest): Promise<Response> {
  // /v1/* is API too: next.config.ts rewrites it to app/api/v1/ after this proxy has run.
  const path = request.nextUrl.pathname;
  if (path.startsWith("/api/") || path.startsWith("/v1/")) {
    if (request.method === "OPTIONS") return preflight(request);
    // Only a misconfigured matcher sends an API request here: let the route answer it.
    return NextResponse.next();
  }
  const page = NextResponse.next();
  page.headers.set("content-security-policy", csp);
  return page;
}

export const config = {
  matcher: [
    // Pages: everything but the API and Next's static build output (scripts and styles need no CSP).
    "/((?!api/|v1/|_next/static|_next/image|favicon.ico).*)",
    // The API's CORS preflights (a browser's OPTIONS with Access-Control-Request-Method).
    { source: "/(api|v1)/:path*", has: [{ type: "header", key: "access-control-request-method" }] },
  ],
};
