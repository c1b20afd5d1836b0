import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { requirePrerequisite } from "./env";
import { freePort } from "../../scripts/lib/free-port";

/** The PostgreSQL binaries of the local install (scripts/local-postgres.sh installs 15). */
export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export function throwawayPostgresAvailable(): boolean {
  return requirePrerequisite(
    existsSync(join(PG_BIN, "initdb")) && existsSync(join(PG_BIN, "pg_ctl")),
    `no PostgreSQL binaries in ${PG_BIN} (bash scripts/local-postgres.sh installs them)`,
  );
}

/**
 * A PostgreSQL cluster of its own (initdb in a temporary directory, its own port, small buffers,
 * no fsync) that a test may stop, start and lock as it likes, never the shared test cluster.
 * As root, the server runs as the `postgres` user (PostgreSQL refuses root).
 */
export interface ThrowawayPostgres {
  /** A database `mesh_fault` on the cluster (pg_cron, if installed, stays out of it). */
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
  /**
   * A streaming replica of this cluster (pg_basebackup -R into a directory of its own, another
   * port, hot standby): its `url` names the same database, read-only.
   */
  startReplica(): Promise<Omit<ThrowawayPostgres, "startReplica">>;
}

const asRoot = () => process.getuid?.() === 0;

function ownDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot()) {
    chmodSync(dir, 0o777);
    execFileSync("chown", ["postgres:postgres", dir]);
  }
  return dir;
}

const run = (bin: string, args: string[]) =>
  execFileSync(
    asRoot() ? "runuser" : join(PG_BIN, bin),
    asRoot() ? ["-u", "postgres", "--", join(PG_BIN, bin), ...args] : args,
    {
      stdio: "pipe",
    },
  );

/** pg_ctl start/stop of a data directory on its port (sockets in `dir`, small buffers, no fsync). */
function control(dir: string, data: string, port: number) {
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=32MB -c fsync=off -c max_connections=40`;
  const start = () => run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
  const stop = () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
  const destroy = () => {
    try {
      stop();
    } catch {
      // Already stopped by the test: nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { start, stop, destroy };
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = ownDir("mesh-fault-pg-");
  const data = join(dir, "data");
  const port = await freePort();
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const { start, stop, destroy } = control(dir, data, port);
  start();
  const admin = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe("CREATE DATABASE mesh_fault");
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/mesh_fault`,
    stop,
    start,
    destroy,
    async startReplica() {
      const rdir = ownDir("mesh-replica-pg-");
      const rdata = join(rdir, "data");
      const rport = await freePort();
      // initdb's pg_hba trusts replication connections from 127.0.0.1; -R writes standby.signal.
      run("pg_basebackup", [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        "-D",
        rdata,
        "-R",
        "-X",
        "stream",
        "-c",
        "fast",
      ]);
      const replica = control(rdir, rdata, rport);
      replica.start();
      return { url: `postgres://postgres@127.0.0.1:${rport}/mesh_fault`, ...replica };
    },
  };
}
