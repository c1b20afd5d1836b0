import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { dataDir } from "../db/config";
import { jwtSecret } from "../auth/secret";

/**
 * One process owns a PGlite data directory at a time. The embedded server records itself here so
 * command-line tools go through it instead of opening the directory a second time.
 */
interface LocalServerRecord {
  pid: number;
  url: string;
}

const recordFile = () => join(dataDir(), "server.json");

export function recordLocalServer(url: string): void {
  mkdirSync(dataDir(), { recursive: true });
  writeFileSync(recordFile(), JSON.stringify({ pid: process.pid, url } satisfies LocalServerRecord));
  process.once("exit", () => rmSync(recordFile(), { force: true }));
}

/** The running embedded server, if one owns the data directory now. */
export function runningLocalServer(): LocalServerRecord | null {
  if (!existsSync(recordFile())) return null;
  try {
    const record = JSON.parse(readFileSync(recordFile(), "utf8")) as LocalServerRecord;
    process.kill(record.pid, 0); // throws when no such process
    return record;
  } catch {
    return null;
  }
}

/**
 * The key local tools show the embedded server: derived from the local JWT secret, so only
 * someone who can read the data directory (and so the database itself) holds it.
 */
export function localToolKey(): string {
  return createHash("sha256").update("mesh-local-tool:").update(jwtSecret()).digest("hex");
}
