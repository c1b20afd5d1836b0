import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dataDir } from "../db/config";

/**
 * The HS256 secret access tokens are signed with: SUPABASE_JWT_SECRET (Supabase's "JWT Secret"),
 * or, when that is unset, a random local secret created once under the data directory so the
 * embedded mode needs no configuration.
 */
export function jwtSecret(): Uint8Array {
  const configured = process.env.SUPABASE_JWT_SECRET?.trim();
  if (configured) return new TextEncoder().encode(configured);
  const file = join(dataDir(), "jwt-secret");
  // Every authenticated request verifies a token: read the file once.
  const cached = localSecrets.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    mkdirSync(dataDir(), { recursive: true });
    writeFileSync(file, randomBytes(48).toString("base64url"), { flag: "wx" });
    chmodSync(file, 0o600);
  }
  const secret = new TextEncoder().encode(readFileSync(file, "utf8").trim());
  localSecrets.set(file, secret);
  return secret;
}

const localSecrets = new Map<string, Uint8Array>();
