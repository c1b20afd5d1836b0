import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requirePrerequisite } from "./env";
import { freePort } from "../../scripts/lib/free-port";

export interface RunningApp {
  url: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** True when `next build` has produced an app to serve (CI builds it before the tests). */
export function builtAppAvailable(): boolean {
  return requirePrerequisite(existsSync(".next/BUILD_ID"), "no production build: run npm run build first");
}

/** A fresh directory for an app's embedded data (PGlite, local secrets). */
export function newDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), "mesh-app-")), "data");
}

/**
 * Serves the built app with `next start` on a free port, on its own embedded data directory (a
 * new one, or `options.dataDir` prepared by the test).
 */
export async function startApp(
  env: Record<string, string> = {},
  options: { dataDir?: string } = {},
): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = options.dataDir ?? newDataDir();
  let log = "";
  const child: ChildProcess = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(port)],
    {
      // The embedded schedule stays off: a nightly batch must not change the data mid-test.
      env: {
        ...process.env,
        DATABASE_URL: "",
        MESH_DATA_DIR: dataDir,
        PORT: String(port),
        MESH_EMBEDDED_SCHEDULE: "off",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (Date.now() >= deadline) throw new Error(`app did not become healthy in 90 s:\n${log}`);
  return {
    url,
    dataDir,
    output: () => log,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
