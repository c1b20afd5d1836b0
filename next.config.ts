import type { NextConfig } from "next";

const config: NextConfig = {
  // PGlite loads its WASM and extension bundles from its package directory at run time, and
  // postgres.js is Node-only: keep both out of the server bundle.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
};

export default config;
