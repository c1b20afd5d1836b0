import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// Time limits by kind of suite, so a hang fails as soon as that kind of suite can tell.
// - unit: milliseconds each (the slowest, the OpenAPI contract, about 3 s on a loaded 2-core
//   machine): 10 s. A unit file that opens a database sets its own limits (bench-harness).
// - integration: a database per file, PGlite or PostgreSQL. Most tests take a few seconds and most
//   hooks (migrate, seed) under 20 s on a loaded machine: 1 min per test, 2 per hook. The suites
//   that seed hundreds of people, fit PCA models or run whole batches (taste, taste-bulk, jobs,
//   privacy-propagation: single tests of 45 s and files of 3 min measured under load) raise their
//   own limits with vi.setConfig.
// - e2e: next start, a real browser, a demo seed of 2,000 people and an import followed to the
//   end (the pages test waits up to 90 s for it): 3 min per test, 5 per hook.
export default defineConfig({
  resolve: { alias: { "@": resolve(import.meta.dirname) } },
  test: {
    // Two cores: two workers keep PGlite (single-threaded WASM) busy without thrashing.
    maxWorkers: 2,
    // Every test starts with the external services' circuit breakers closed (lib/outbound) and
    // rate limits it cannot reach (tests/helpers/rate-limits.ts).
    setupFiles: ["tests/helpers/reset-breakers.ts", "tests/helpers/rate-limits.ts"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], testTimeout: 10_000, hookTimeout: 10_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // The migrated template database each file clones (PostgreSQL runs only).
          globalSetup: ["tests/helpers/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["tests/e2e/**/*.test.ts"], testTimeout: 180_000, hookTimeout: 300_000 },
      },
    ],
  },
});
