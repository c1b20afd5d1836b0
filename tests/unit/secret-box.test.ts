import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, parseKeyRing, seal, sealedKeyId } from "../../lib/crypto/secret-box";

const key = () => randomBytes(32).toString("base64");

describe("secrets at rest (AES-256-GCM with key ids)", () => {
  const ring = parseKeyRing(`k1:${key()}`);

  it("round-trips a secret without the plaintext appearing in the sealed value", async () => {
    const sealed = await seal(ring, "refresh-token-123", "spotify:user-a");
    expect(sealed).not.toContain("refresh-token-123");
    expect(sealed.startsWith("v1.k1.")).toBe(true);
    expect(await open(ring, sealed, "spotify:user-a")).toBe("refresh-token-123");
  });

  it("refuses a value moved to another user's row, or tampered with", async () => {
    const sealed = await seal(ring, "secret", "spotify:user-a");
    await expect(open(ring, sealed, "spotify:user-b")).rejects.toThrow(/failed authentication/);
    const parts = sealed.split(".");
    const flipped = parts[3].startsWith("A") ? `B${parts[3].slice(1)}` : `A${parts[3].slice(1)}`;
    await expect(open(ring, [...parts.slice(0, 3), flipped].join("."), "spotify:user-a")).rejects.toThrow();
  });

  it("rotates keys: old values still open, new values use the active key", async () => {
    const old = await seal(ring, "old-secret", "ctx");
    const k1 = [...ring.keys.entries()][0];
    const rotated = parseKeyRing(`k2:${key()},k1:${Buffer.from(k1[1]).toString("base64")}`);
    expect(await open(rotated, old, "ctx")).toBe("old-secret");
    const fresh = await seal(rotated, "new-secret", "ctx");
    expect(sealedKeyId(fresh)).toBe("k2");
    expect(sealedKeyId(old)).toBe("k1");
  });

  it("rejects malformed key configuration with a message saying what is wrong", () => {
    expect(() => parseKeyRing("k1:c2hvcnQ=")).toThrow(/32 bytes/);
    expect(() => parseKeyRing("nocolon")).toThrow(/<keyId>:<base64/);
    expect(() => parseKeyRing(`k1:${key()}`, "k9")).toThrow(/no active encryption key/);
  });
});
