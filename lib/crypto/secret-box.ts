/**
 * AES-256-GCM encryption of secrets at rest (connector tokens), with a key id in every ciphertext
 * so keys can rotate: decrypt with whichever key the value names, encrypt with the active one.
 * Web Crypto only, so the same code runs in Node, Next.js route handlers and any Web Crypto runtime.
 *
 * Format: `v1.<keyId>.<base64url iv>.<base64url ciphertext+tag>`
 */
export interface KeyRing {
  activeKeyId: string;
  /** keyId -> 32 raw key bytes */
  keys: Map<string, Uint8Array>;
}

const b64url = {
  encode: (bytes: Uint8Array) =>
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, ""),
  decode: (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
};

export class SecretBoxError extends Error {}

const keyCache = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function importKey(raw: Uint8Array): Promise<CryptoKey> {
  let key = keyCache.get(raw);
  if (!key) {
    if (raw.length !== 32) throw new SecretBoxError("encryption keys must be 32 bytes (AES-256)");
    key = crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, ["encrypt", "decrypt"]);
    keyCache.set(raw, key);
  }
  return key;
}

/** Binds a ciphertext to what it protects (e.g. "spotify:<userId>") so it cannot be swapped. */
const aad = (context: string) => new TextEncoder().encode(context);

export async function seal(ring: KeyRing, plaintext: string, context: string): Promise<string> {
  const raw = ring.keys.get(ring.activeKeyId);
  if (!raw) throw new SecretBoxError(`active key ${ring.activeKeyId} is not in the key ring`);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(context) },
    await importKey(raw),
    new TextEncoder().encode(plaintext),
  );
  return `v1.${ring.activeKeyId}.${b64url.encode(iv)}.${b64url.encode(new Uint8Array(ct))}`;
}

export async function open(ring: KeyRing, sealed: string, context: string): Promise<string> {
  const [version, keyId, iv, ct] = sealed.split(".");
  if (version !== "v1" || !keyId || !iv || !ct) throw new SecretBoxError("not a sealed value");
  const raw = ring.keys.get(keyId);
  if (!raw) throw new SecretBoxError(`sealed with key ${keyId}, which is not configured`);
  try {
    const pt = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: b64url.decode(iv) as BufferSource, additionalData: aad(context) },
      await importKey(raw),
      b64url.decode(ct) as BufferSource,
    );
    return new TextDecoder().decode(pt);
  } catch {
    throw new SecretBoxError("sealed value failed authentication (wrong key, context or tampered)");
  }
}

/** The key id a sealed value was encrypted with (for rotation: re-seal those not on the active key). */
export function sealedKeyId(sealed: string): string | null {
  const [version, keyId] = sealed.split(".");
  return version === "v1" && keyId ? keyId : null;
}

/** Parses `MESH_ENCRYPTION_KEYS`: comma-separated `keyId:base64key`; the first is active. */
export function parseKeyRing(spec: string, activeKeyId?: string): KeyRing {
  const keys = new Map<string, Uint8Array>();
  for (const part of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = part.indexOf(":");
    if (i <= 0) throw new SecretBoxError("MESH_ENCRYPTION_KEYS entries look like <keyId>:<base64 of 32 bytes>");
    const id = part.slice(0, i);
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new SecretBoxError(`key id ${id} must be letters, digits, - or _`);
    const raw = b64url.decode(part.slice(i + 1).replace(/=+$/, ""));
    if (raw.length !== 32) throw new SecretBoxError(`key ${id} must decode to 32 bytes (got ${raw.length})`);
    keys.set(id, raw);
  }
  const active = activeKeyId ?? keys.keys().next().value;
  if (!active || !keys.has(active)) throw new SecretBoxError("no active encryption key configured");
  return { activeKeyId: active, keys };
}
