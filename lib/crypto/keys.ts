import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dataDir, databaseUrl } from "../db/config";
import { parseKeyRing, type KeyRing } from "./secret-box";

/**
 * The key ring for secrets at rest: MESH_ENCRYPTION_KEYS (+ MESH_ENCRYPTION_KEY_ID to pick the
 * active key). The embedded mode creates a local key under the data directory; a real database
 * must be given keys explicitly, so tokens are never sealed with a throwaway key.
 */
export function encryptionKeys(): KeyRing {
  const spec = process.env.MESH_ENCRYPTION_KEYS?.trim();
  if (spec) return parseKeyRing(spec, process.env.MESH_ENCRYPTION_KEY_ID?.trim() || undefined);
  if (databaseUrl()) {
    throw new Error(
      "MESH_ENCRYPTION_KEYS is not set: generate one with `node -e \"console.log('k1:'+crypto.randomBytes(32).toString('base64'))\"`",
    );
  }
  const file = join(dataDir(), "encryption-key");
  if (!existsSync(file)) {
    mkdirSync(dataDir(), { recursive: true });
    writeFileSync(file, `local:${randomBytes(32).toString("base64")}`, { flag: "wx" });
    chmodSync(file, 0o600);
  }
  return parseKeyRing(readFileSync(file, "utf8").trim());
}
