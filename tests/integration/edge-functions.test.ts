import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

// The Edge Functions run on Deno, as on Supabase: type-checked with `deno check` and tested with
// `deno test` (Deno comes from the npm registry package). TEST_DATABASE_URL and CI pass through.
it("passes deno check and deno test for the Edge Functions", async () => {
  const deno = "node_modules/.bin/deno";
  await run(deno, ["check", "supabase/functions/connector-sync/index.ts", "supabase/functions/re-embed/index.ts"], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  const { stdout } = await run(deno, ["test", "-A", "supabase/functions/tests/"], {
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 10 * 1024 * 1024,
  });
  // Without a database only the input checks run (the database test is ignored, and under CI=true
  // the test file refuses to run without one).
  expect(stdout).toMatch(process.env.TEST_DATABASE_URL ? /ok \| 2 passed \| 0 failed/ : /ok \| 1 passed \| 0 failed/);
}, 240_000);
