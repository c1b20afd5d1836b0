import { SignJWT } from "jose";
import { NextRequest } from "next/server";
import { resetApiGuards } from "../../lib/route/api-guards";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getAuthConfig } from "../../app/api/auth/config/route";
import { POST as postDemoSession } from "../../app/api/dev/demo-session/route";
import { DELETE as deleteAccount } from "../../app/api/v2/privacy/account/route";
import { GET as getSettings } from "../../app/api/v2/privacy/settings/route";
import { authConfigResponse } from "../../api/auth";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "auth-accounts-test-secret-0123456789abcdef";

/** A token as Supabase Auth issues it: GoTrue's claims, the user's email and metadata. */
async function supabaseToken(sub: string, extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ role: "authenticated", aal: "aal1", session_id: crypto.randomUUID(), ...extra })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(sub)
    .setAudience("authenticated")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(SECRET));
}

const settings = (token: string) =>
  getSettings(
    new Request("http://localhost/api/v2/privacy/settings", { headers: { authorization: `Bearer ${token}` } }),
  );

describe("GET /api/auth/config", () => {
  afterAll(() => vi.unstubAllEnvs());
  const config = async (env: Record<string, string>) => {
    for (const k of ["SUPABASE_URL", "SUPABASE_ANON_KEY", "DATABASE_URL"]) vi.stubEnv(k, env[k] ?? "");
    const res = await getAuthConfig(new Request("http://localhost/api/auth/config"));
    expect(res.status).toBe(200);
    return authConfigResponse.parse(await res.json());
  };

  it("answers supabase with the project URL and anon key, read at run time", async () => {
    expect(await config({ SUPABASE_URL: "https://abc.supabase.co/", SUPABASE_ANON_KEY: "anon" })).toEqual({
      mode: "supabase",
      supabaseUrl: "https://abc.supabase.co",
      anonKey: "anon",
    });
  });

  it("answers embedded without Supabase Auth or a database, none on a database without it", async () => {
    expect(await config({})).toEqual({ mode: "embedded", supabaseUrl: null, anonKey: null });
    // SUPABASE_URL alone (JWKS verification) is not enough to sign anyone in from the pages.
    expect((await config({ SUPABASE_URL: "https://abc.supabase.co", DATABASE_URL: "postgres://x/y" })).mode).toBe(
      "none",
    );
    expect((await config({ SUPABASE_URL: "not a url", SUPABASE_ANON_KEY: "anon" })).mode).toBe("embedded");
  });

  it("refuses the demo sign-in wherever Supabase Auth signs people in", async () => {
    await config({ SUPABASE_URL: "https://abc.supabase.co", SUPABASE_ANON_KEY: "anon" });
    const res = await postDemoSession(new Request("http://localhost/api/dev/demo-session", { method: "POST" }));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });
});

describe("the Content-Security-Policy, set at run time", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    resetApiGuards();
  });
  // Pages get it from the proxy, API answers from the route wrapper (the proxy skips the API).
  const cspFor = async (env: Record<string, string>, path: string) => {
    for (const k of ["SUPABASE_URL", "SUPABASE_ANON_KEY"]) vi.stubEnv(k, env[k] ?? "");
    vi.resetModules();
    resetApiGuards();
    const request = new NextRequest(`http://localhost${path}`);
    if (path === "/api/openapi.json")
      return (await openApiRoute())(request).then((r) => r.headers.get("content-security-policy"));
    const { proxy } = await import("../../proxy");
    return (await proxy(request)).headers.get("content-security-policy");
  };
  const openApiRoute = async () => (await import("../../app/api/openapi.json/route")).GET;

  it("lets pages and API answers connect to the configured Supabase project, and nowhere else", async () => {
    const env = { SUPABASE_URL: "https://abc.supabase.co/", SUPABASE_ANON_KEY: "anon" };
    for (const path of ["/", "/favorites", "/api/openapi.json"]) {
      const csp = await cspFor(env, path);
      expect(csp, path).toContain("connect-src 'self' https://abc.supabase.co;");
      expect(csp, path).toContain("frame-ancestors 'none'");
    }
    expect(await cspFor({}, "/")).toContain("connect-src 'self';");
  });
});

describeEachDriver("a Supabase user's first request", (ctx) => {
  let restore: () => void;
  beforeAll(() => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    // People sign in against a Supabase project; this database's auth schema is the compat layer.
    vi.stubEnv("SUPABASE_URL", "https://abc.supabase.co");
    vi.stubEnv("SUPABASE_ANON_KEY", "anon");
    restore = serveRoutesFrom(ctx.db);
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  const profileOf = async (id: string) =>
    ctx.db.query<{ display_name: string; email: string | null }>(
      `SELECT p.display_name, u.email FROM profiles p JOIN auth.users u ON u.id = p.user_id WHERE p.user_id = $1`,
      [id],
    );

  it("creates the account and profile for someone Supabase Auth knows and this database does not", async () => {
    const id = crypto.randomUUID();
    const token = await supabaseToken(id, { email: "dee@example.com", user_metadata: { display_name: "Dee" } });
    expect(await profileOf(id)).toEqual([]);
    const res = await settings(token);
    expect(res.status).toBe(200);
    expect(await profileOf(id)).toEqual([{ display_name: "Dee", email: "dee@example.com" }]);
    expect((await settings(token)).status).toBe(200); // and only once
    expect(await profileOf(id)).toHaveLength(1);
  });

  it("creates nobody from a token when no Supabase project issues them (the embedded mode's own)", async () => {
    vi.stubEnv("SUPABASE_URL", "");
    try {
      const id = crypto.randomUUID();
      await settings(await supabaseToken(id, { email: "nobody@example.com" }));
      expect(await ctx.db.query("SELECT 1 FROM auth.users WHERE id = $1", [id])).toEqual([]);
    } finally {
      vi.stubEnv("SUPABASE_URL", "https://abc.supabase.co");
    }
  });

  it("gives a profile to a user who signed up before the profile trigger existed", async () => {
    const id = await createUser(ctx.db, { email: "early@example.com", displayName: "Early" });
    await ctx.db.query("DELETE FROM profiles WHERE user_id = $1", [id]);
    expect((await settings(await supabaseToken(id))).status).toBe(200);
    expect(await profileOf(id)).toEqual([{ display_name: "Early", email: "early@example.com" }]);
  });

  it("does not bring a deleted account back with its old token; signing in again starts afresh", async () => {
    const id = crypto.randomUUID();
    const old = await supabaseToken(id, { email: "gone@example.com" });
    expect((await settings(old)).status).toBe(200);
    const del = await deleteAccount(
      new Request("http://localhost/api/v2/privacy/account", {
        method: "DELETE",
        headers: { authorization: `Bearer ${old}`, "content-type": "application/json" },
        body: JSON.stringify({ confirm: "DELETE" }),
      }),
    );
    expect(await del.json()).toEqual({ deleted: true });
    const again = await settings(old);
    expect(again.status).toBe(401);
    expect((await again.json()).error.message).toMatch(/deleted/);
    expect(await profileOf(id)).toEqual([]);

    await new Promise((r) => setTimeout(r, 1100)); // token times are in whole seconds
    expect((await settings(await supabaseToken(id, { email: "gone@example.com" }))).status).toBe(200);
    expect(await profileOf(id)).toEqual([{ display_name: "", email: "gone@example.com" }]);
  });
});
