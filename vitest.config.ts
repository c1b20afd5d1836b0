import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    // Generous: a PCA fit or a next start on a busy 2-core machine can take a minute; a real hang still fails.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Two cores: two workers keep PGlite (single-threaded WASM) busy without thrashing.
    maxWorkers: 2,
  },
});
