import { closeDb } from "../../lib/runtime/database";

/**
 * Runs a command-line entry point: prints a failure as one clear line, closes the database, then
 * exits with the right code. (PGlite's close resets process.exitCode, so the code is set after.)
 */
export async function runMain(name: string, fn: () => Promise<void>): Promise<never> {
  let code = 0;
  try {
    await fn();
  } catch (err) {
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  }
  await closeDb().catch(() => {});
  process.exit(code);
}
