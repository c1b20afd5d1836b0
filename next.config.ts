import type { NextConfig } from "next";

// Pages and API answers alike: no framing, no sniffing, no referrer leaks, no stray powerful APIs.
// The Content-Security-Policy is set by proxy.ts (lib/http/csp.ts), not here: these headers are
// fixed at build time, and its connect-src names the Supabase Auth origin, which is run-time
// configuration (one build serves every deployment).
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
];

const config: NextConfig = {
  // PGlite loads its WASM and extension bundles from its package directory at run time, and
  // postgres.js is Node-only: keep both out of the server bundle.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  // next dev serves its scripts and HMR only to pages opened on the host it started for
  // (localhost): a page opened as http://127.0.0.1:3000 would load but never hydrate.
  allowedDevOrigins: ["127.0.0.1"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default config;
