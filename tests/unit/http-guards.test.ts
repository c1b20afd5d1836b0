import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { signAccessToken } from "../../lib/auth/tokens";
import { allowedOrigins, corsHeaders } from "../../lib/http/cors";
import { RateLimiter } from "../../lib/http/rate-limit";
import { resetApiGuards } from "../../lib/route/api-guards";
import { z } from "zod";

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

describe("the API's guards: CORS preflight in the proxy, limits and CORS in the route wrapper", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    resetApiGuards();
  });

  async function withEnv(env: Record<string, string>) {
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    vi.resetModules();
    resetApiGuards();
    // Routes of the wrapper's own, touching no database: one open to anybody, one for staff
    // (nobody here is: a verified token is refused with 403 before any database work).
    const { route } = await import("../../lib/route");
    const op = (auth: "none" | { role: "staff" }) => ({
      method: "GET" as const,
      path: "/api/v2/ping",
      summary: "test route",
      auth,
      responses: { 200: { description: "pong", schema: z.object({ ok: z.boolean() }) } },
    });
    const open = route(op("none"), () => ({ ok: true }));
    const staffOnly = route(op({ role: "staff" }), () => ({ ok: true }));
    return { proxy: (await import("../../proxy")).proxy, open, staffOnly };
  }
  const req = (headers: Record<string, string> = {}, method = "GET") =>
    new NextRequest("http://localhost/api/v2/ping", { method, headers });

  it("answers a preflight from an allowed origin and refuses others; answers carry CORS for allowed origins only", async () => {
    const { proxy, open } = await withEnv({ MESH_ALLOWED_ORIGINS: "https://app.example.com" });
    const ok = await proxy(
      req({ origin: "https://app.example.com", "access-control-request-method": "GET" }, "OPTIONS"),
    );
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const refused = await proxy(
      req({ origin: "https://evil.example.net", "access-control-request-method": "GET" }, "OPTIONS"),
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const answer = await open(req({ origin: "https://app.example.com" }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(answer.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(
      (await open(req({ origin: "https://evil.example.net" }))).headers.get("access-control-allow-origin"),
    ).toBeNull();
  });

  it("limits one address with 429 + Retry-After, leaving other addresses alone", async () => {
    const { open } = await withEnv({ MESH_RATE_LIMIT_IP: "3", MESH_ALLOWED_ORIGINS: "https://app.example.com" });
    const from = (ip: string) => req({ "x-forwarded-for": ip, origin: "https://app.example.com" });
    for (let i = 0; i < 3; i++) expect((await open(from("203.0.113.7"))).status).toBe(200);
    const limited = await open(from("203.0.113.7"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // A refusal a browser can read: CORS on the 429 too.
    expect(limited.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect((await limited.json()).error.code).toBe("rate_limited");
    expect((await open(from("203.0.113.8"))).status).toBe(200);
  });

  it("limits a user across addresses, and a forged token cannot spend a real user's budget", async () => {
    const { staffOnly } = await withEnv({
      MESH_RATE_LIMIT_USER: "2",
      SUPABASE_JWT_SECRET: "proxy-test-secret-long-enough-1234",
    });
    const user = "0f5c7a1e-5a4b-4d8e-9c51-3b2a1d0e9f88";
    const token = await signAccessToken(user);
    const forged = `${token.split(".").slice(0, 2).join(".")}.AAAA`;
    for (let i = 0; i < 5; i++) {
      // A forged token is refused (401) by the route and spends nobody's budget.
      expect(
        (await staffOnly(req({ authorization: `Bearer ${forged}`, "x-forwarded-for": `198.51.100.${i}` }))).status,
      ).toBe(401);
    }
    // The real user's two requests are answered (403: not staff), the third is limited.
    const as = (ip: string) => staffOnly(req({ authorization: `Bearer ${token}`, "x-forwarded-for": ip }));
    const first = await as("198.51.100.20");
    expect(first.status).toBe(403);
    expect((await first.json()).error.code).toBe("forbidden");
    expect((await as("198.51.100.21")).status).toBe(403);
    const limited = await as("198.51.100.22");
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.message).toContain("per user");
  });
});
