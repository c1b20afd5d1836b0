import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { PoolStats } from "../../lib/db/pool-gate";
import { freePort } from "../../scripts/lib/free-port";

export interface LoadServer {
  url: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
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

/** CPU ticks so far of each process: `server` for `pid` and its descendants, else `postgres`. */
export type CpuSnapshot = Map<number, { group: "server" | "postgres"; ticks: number }>;

export function cpuSnapshot(pid: number): CpuSnapshot {
  const all = processes();
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) if (!tree.has(p.pid) && tree.has(p.ppid)) grew = tree.add(p.pid) && true;
  }
  const snap: CpuSnapshot = new Map();
  for (const p of all) {
    if (tree.has(p.pid)) snap.set(p.pid, { group: "server", ticks: p.ticks });
    else if (p.comm === "postgres") snap.set(p.pid, { group: "postgres", ticks: p.ticks });
  }
  return snap;
}

/**
 * Cores busy on average between two snapshots: the server's process tree, and every `postgres`
 * process on the machine (on a shared cluster that includes other clients' work). A process that
 * ended in between is not counted (its last ticks are gone); one that started counts from zero.
 */
export function coresBusy(before: CpuSnapshot, after: CpuSnapshot, seconds: number) {
  const busy = { server: 0, postgres: 0 };
  for (const [pid, a] of after) busy[a.group] += a.ticks - (before.get(pid)?.ticks ?? 0);
  const cores = (ticks: number) => Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100;
  return { server: cores(busy.server), postgres: cores(busy.postgres) };
}

/** The server's pool stats (MESH_POOL_STATS_FILE), or null before its first write. */
export function readPoolStats(file: string, name: string): PoolStats | null {
  try {
    return JSON.parse(readFileSync(`${file}.${name}.json`, "utf8")) as PoolStats;
  } catch {
    return null;
  }
}
