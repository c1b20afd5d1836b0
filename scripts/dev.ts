// npm run dev: the Next.js dev server on the embedded database (demo data seeded on first run), or
// on DATABASE_URL when it is set. PORT is honoured (default 3000).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { databaseUrl } from "../lib/db/config";

const PREPARE = "--prepare-embedded";

/**
 * Migrates and seeds the embedded database before Next starts, so a first run shows a progress bar
 * instead of a server that answers nothing for a while. The server would do the same at start
 * (lib/db/index.ts, same MESH_DEMO_USERS rule); it then finds the work done.
 */
async function prepareEmbedded(): Promise<void> {
  const { openConfiguredDb } = await import("../lib/runtime/database");
  const { dataDir } = await import("../lib/db/config");
  const { hasDemoData, seedDemo } = await import("../lib/demo/seed");
  const { runningLocalServer } = await import("../lib/runtime/local-server");
  const { progressBar } = await import("./lib/progress");
  const owner = runningLocalServer();
  if (owner) throw new Error(`another server (pid ${owner.pid}, ${owner.url}) owns ${dataDir()}: stop it first`);
  const users = Number(process.env.MESH_DEMO_USERS ?? 2000);
  if (!Number.isInteger(users) || users < 0) throw new Error("MESH_DEMO_USERS must be a whole number >= 0");
  const db = await openConfiguredDb({ seedDemo: false });
  try {
    if (users > 0 && !(await hasDemoData(db))) {
      console.log(`first run: seeding ${users} demo users into the embedded database in ${dataDir()}`);
      const bar = progressBar("seeding {bar} {value}/{total} users | ETA {eta_formatted}");
      bar.start(users, 0);
      await seedDemo(db, { users, seed: 42, shop: true, onProgress: (done) => bar.update(done) });
      bar.stop();
    }
  } finally {
    await db.close();
  }
}

/** Runs a child to its end, passing on signals sent to this process alone (a supervisor, `kill <pid>`). */
function run(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, args, { stdio: "inherit", env });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const s of signals) process.on(s, forward);
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve({ code, signal });
    }),
  );
}

/** Ends this process the way its child ended: same exit code, or killed by the same signal. */
function exitLike(result: { code: number | null; signal: NodeJS.Signals | null }): never {
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.code ?? 1);
}

if (process.argv.includes(PREPARE)) {
  try {
    await prepareEmbedded();
    process.exit(0);
  } catch (err) {
    console.error(`dev: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

if (!databaseUrl()) {
  // In a child of its own: PGlite keeps hundreds of MB that this process would hold for the
  // server's whole life, and only one process may open .data/ (the server opens it next).
  const prepared = await run([...process.execArgv, fileURLToPath(import.meta.url), PREPARE]);
  if (prepared.signal || prepared.code !== 0) exitLike(prepared);
}

const port = process.env.PORT || "3000";
const next = createRequire(import.meta.url).resolve("next/dist/bin/next");
// PORT reaches the server too: instrumentation.ts records the server's URL from it.
exitLike(await run([next, "dev", "-p", port], { ...process.env, PORT: port }));
