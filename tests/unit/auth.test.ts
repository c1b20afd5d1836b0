import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signAccessToken, verifyAccessToken, viewerFromRequest } from "../../lib/auth/tokens";
import { errorResponse } from "../../lib/http/errors";
import { startFakeServer } from "../helpers/fake-server";

const USER = "5b0c2b9e-8d4f-4a52-9a38-3f1c0b7d2e11";
const SECRET = "test-secret-at-least-32-characters-long!!";

async function statusOf(token: string | null): Promise<{ status: number; body: { error: { message: string } } }> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  try {
    await viewerFromRequest(new Request("http://localhost/api/x", { headers }));
    return { status: 200, body: { error: { message: "" } } };
  } catch (err) {
    const res = errorResponse(err);
    return { status: res.status, body: await res.json() };
  }
}

describe("access tokens (HS256 with the JWT secret)", () => {
  beforeAll(() => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it("a token verified a moment ago stops verifying when the secret changes (the verified-token cache)", async () => {
    const token = await signAccessToken(USER);
    expect((await statusOf(token)).status).toBe(200);
    expect((await statusOf(token)).status).toBe(200);
    vi.stubEnv("SUPABASE_JWT_SECRET", "another-secret-at-least-32-characters-long");
    try {
      expect((await statusOf(token)).status).toBe(401);
    } finally {
      vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    }
  });

  it("accepts a token with Supabase's claims and names the user", async () => {
    const token = await signAccessToken(USER);
    const viewer = await verifyAccessToken(token);
    expect(viewer.userId).toBe(USER);
    expect(viewer.role).toBe("authenticated");
  });

  it("answers 401 with a JSON reason for a missing header", async () => {
    const res = await statusOf(null);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/missing bearer token/);
  });

  it("rejects an expired token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ role: "authenticated" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(USER)
      .setAudience("authenticated")
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(new TextEncoder().encode(SECRET));
    const res = await statusOf(token);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/);
  });

  it("rejects a token signed with another secret", async () => {
    const forged = await new SignJWT({ role: "authenticated" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(USER)
      .setAudience("authenticated")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("someone-elses-secret-of-enough-length!!"));
    expect((await statusOf(forged)).status).toBe(401);
  });

  it("rejects an unsigned token (alg: none)", async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64({
      sub: USER,
      role: "authenticated",
      aud: "authenticated",
      exp: Math.floor(Date.now() / 1000) + 3600,
    })}.`;
    const res = await statusOf(unsigned);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/unsupported token algorithm: none/);
  });

  it("rejects a token for another audience or without a user id", async () => {
    const key = new TextEncoder().encode(SECRET);
    const wrongAud = await new SignJWT({ role: "authenticated" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(USER)
      .setAudience("someone-else")
      .setExpirationTime("1h")
      .sign(key);
    expect((await statusOf(wrongAud)).status).toBe(401);
    const noSub = await new SignJWT({ role: "anon" })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience("authenticated")
      .setExpirationTime("1h")
      .sign(key);
    expect((await statusOf(noSub)).status).toBe(401);
  });

  it("rejects garbage", async () => {
    expect((await statusOf("not-a-jwt")).status).toBe(401);
  });
});

describe("access tokens (asymmetric, from the project's JWKS)", () => {
  let server: Awaited<ReturnType<typeof startFakeServer>>;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair("ES256");
    privateKey = pair.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "key-1", alg: "ES256", use: "sig" };
    server = await startFakeServer((req, res) => {
      if (req.url === "/auth/v1/.well-known/jwks.json") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(404).end();
      }
    });
    vi.stubEnv("SUPABASE_URL", server.url);
    vi.stubEnv("MESH_DATA_DIR", mkdtempSync(join(tmpdir(), "mesh-auth-")));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  it("verifies an ES256 token against the keys the project publishes", async () => {
    const token = await new SignJWT({ role: "authenticated" })
      .setProtectedHeader({ alg: "ES256", kid: "key-1" })
      .setSubject(USER)
      .setAudience("authenticated")
      .setExpirationTime("1h")
      .sign(privateKey);
    expect((await verifyAccessToken(token)).userId).toBe(USER);
    expect(server.requests).toContain("GET /auth/v1/.well-known/jwks.json");
  });

  it("rejects an ES256 token signed by a key the project does not publish", async () => {
    const other = await generateKeyPair("ES256");
    const token = await new SignJWT({ role: "authenticated" })
      .setProtectedHeader({ alg: "ES256", kid: "key-1" })
      .setSubject(USER)
      .setAudience("authenticated")
      .setExpirationTime("1h")
      .sign(other.privateKey);
    expect((await statusOf(token)).status).toBe(401);
  });
});
