import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { signAccessToken } from "../../lib/auth/tokens";
import { allowedOrigins, corsHeaders } from "../../lib/http/cors";
import { RateLimiter } from "../../lib/http/rate-limit";

describe("rate limiter (token bucket)", () => {
  it("allows a burst up to capacity, then refuses with a Retry-After until tokens refill", () => {
    let now = 0;
    const limiter = new RateLimiter(60, 3, () => now); // 1 per second, burst 3
    expect([1, 2, 3].map(() => limiter.take("ip").allowed)).toEqual([true, true, true]);
    const refused = limiter.take("ip");
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take("other-ip").allowed).toBe(true); // buckets are per key
    now += 1000;
    expect(limiter.take("ip").allowed).toBe(true);
    expect(limiter.take("ip").allowed).toBe(false);
  });
});

describe("CORS", () => {
  const allowed = allowedOrigins({ MESH_ALLOWED_ORIGINS: "https://app.example.com, https://staging.example.com/" });
  it("answers only configured origins", () => {
    expect(corsHeaders("https://app.example.com", allowed)["access-control-allow-origin"]).toBe(
      "https://app.example.com",
    );
    expect(corsHeaders("https://staging.example.com", allowed)["access-control-allow-origin"]).toBeDefined();
    expect(corsHeaders("https://evil.example.net", allowed)).toEqual({});
    expect(corsHeaders(null, allowed)).toEqual({});
  });
});

describe("the API proxy (CORS preflight, per-IP and per-user limits)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function loadProxy(env: Record<string, string>) {
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    vi.resetModules();
    return (await import("../../proxy")).proxy;
  }
  const req = (headers: Record<string, string> = {}, method = "GET") =>
    new NextRequest("http://localhost/api/v2/favorites", { method, headers });

  it("answers a preflight from an allowed origin and refuses others", async () => {
    const proxy = await loadProxy({ MESH_ALLOWED_ORIGINS: "https://app.example.com" });
    const ok = await proxy(req({ origin: "https://app.example.com" }, "OPTIONS"));
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const refused = await proxy(req({ origin: "https://evil.example.net" }, "OPTIONS"));
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("limits one address with 429 + Retry-After, leaving other addresses alone", async () => {
    const proxy = await loadProxy({ MESH_RATE_LIMIT_IP: "3" });
    const from = (ip: string) => req({ "x-forwarded-for": ip });
    for (let i = 0; i < 3; i++) expect((await proxy(from("203.0.113.7"))).status).toBe(200);
    const limited = await proxy(from("203.0.113.7"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("rate_limited");
    expect((await proxy(from("203.0.113.8"))).status).toBe(200);
  });

  it("limits a user across addresses, and a forged token cannot spend a real user's budget", async () => {
    const proxy = await loadProxy({
      MESH_RATE_LIMIT_USER: "2",
      SUPABASE_JWT_SECRET: "proxy-test-secret-long-enough-1234",
    });
    const user = "0f5c7a1e-5a4b-4d8e-9c51-3b2a1d0e9f88";
    const token = await signAccessToken(user);
    const forged = `${token.split(".").slice(0, 2).join(".")}.AAAA`;
    for (let i = 0; i < 5; i++) {
      expect(
        (await proxy(req({ authorization: `Bearer ${forged}`, "x-forwarded-for": `198.51.100.${i}` }))).status,
      ).toBe(200);
    }
    const as = (ip: string) => req({ authorization: `Bearer ${token}`, "x-forwarded-for": ip });
    expect((await proxy(as("198.51.100.20"))).status).toBe(200);
    expect((await proxy(as("198.51.100.21"))).status).toBe(200);
    expect((await proxy(as("198.51.100.22"))).status).toBe(429);
  });
});
