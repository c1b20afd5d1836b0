import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { PoolStats } from "../../lib/db/pool-gate";

export interface LoadServer {
  url: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** `next start` of the built app (npm run build first) on a free port, with `env` on top of ours. */
export async function startBuiltServer(env: Record<string, string>, nodeArgs: string[] = []): Promise<LoadServer> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("no production build: run npm run build first");
  const port = await freePort();
  let log = "";
  const child = spawn(process.execPath, [...nodeArgs, "node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { ...process.env, PORT: String(port), MESH_EMBEDDED_SCHEDULE: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => (log = (log + d).slice(-20_000)));
  child.stderr.on("data", (d) => (log = (log + d).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log}`);
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`the server did not become healthy in 90 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    output: () => log,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

function processes(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      const close = text.lastIndexOf(")");
      const rest = text.slice(close + 2).split(" ");
      out.push({
        pid: Number(name),
        comm: text.slice(text.indexOf("(") + 1, close),
        ppid: Number(rest[1]),
        ticks: Number(rest[11]) + Number(rest[12]),
      });
    } catch {
      // The process ended while we read /proc.
    }
  }
  return out;
}

const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by `pid` and its descendants (the server), and by every `postgres`
 * process on the machine (the database; on a shared cluster that includes other clients' work).
 */
export function cpuSeconds(pid: number): { server: number; postgres: number } {
  const all = processes();
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) if (!tree.has(p.pid) && tree.has(p.ppid)) grew = tree.add(p.pid) && true;
  }
  let server = 0;
  let pg = 0;
  for (const p of all) {
    if (tree.has(p.pid)) server += p.ticks;
    else if (p.comm === "postgres") pg += p.ticks;
  }
  return { server: server / TICKS_PER_SECOND, postgres: pg / TICKS_PER_SECOND };
}

/** The server's pool stats (MESH_POOL_STATS_FILE), or null before its first write. */
export function readPoolStats(file: string, name: string): PoolStats | null {
  try {
    return JSON.parse(readFileSync(`${file}.${name}.json`, "utf8")) as PoolStats;
  } catch {
    return null;
  }
}
