/**
 * The Content-Security-Policy of pages and API answers. Built per process from run-time
 * configuration (proxy.ts sets it on pages, lib/route/api-guards.ts on API answers), because connect-src must name the Supabase Auth origin the browser signs in against, and
 * that origin is deployment configuration, not something to bake into the build.
 * Next.js injects inline bootstrap scripts, hence 'unsafe-inline' for scripts until nonces are used.
 * Covers on the cards come from image hosts (TMDb, Open Library, …), hence https: images.
 */
export function contentSecurityPolicy(options: { connectOrigins?: string[]; dev?: boolean } = {}): string {
  const connect = ["'self'", ...(options.connectOrigins ?? [])];
  return [
    "default-src 'self'",
    "img-src 'self' data: https:",
    `script-src 'self' 'unsafe-inline'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `connect-src ${connect.join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}
