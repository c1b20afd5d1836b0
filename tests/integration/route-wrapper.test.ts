import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { operation } from "../../api/operation";
import { rolesFromClaims } from "../../lib/auth/roles";
import { signAccessToken, verifyAccessToken } from "../../lib/auth/tokens";
import { SpotifyNotConfiguredError } from "../../lib/connectors/spotify/config";
import { OAuthStateError } from "../../lib/connectors/spotify/oauth";
import { reply, route } from "../../lib/route";
import { createUser } from "../../lib/users/create";
import { issueLocalToken, NoDemoUserError } from "../../lib/runtime/local-token";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "route-wrapper-test-secret-of-sufficient-length";

const whoAmI = z.object({ userId: z.string().nullable(), roles: z.array(z.string()) });

/** Operations of a pretend resource: each auth kind, inputs and answers the wrapper handles. */
const ops = {
  moderate: operation({
    method: "POST",
    path: "/api/test/moderation/{reportId}",
    summary: "moderators only",
    auth: { role: "moderator" },
    params: z.object({ reportId: z.coerce.number().int() }),
    responses: { 200: { description: "", schema: whoAmI } },
  }),
  maybe: operation({
    method: "GET",
    path: "/api/test/maybe",
    summary: "anyone; a token names the viewer",
    auth: "optional",
    responses: { 200: { description: "", schema: whoAmI } },
  }),
  cron: operation({
    method: "GET",
    path: "/api/test/cron",
    summary: "cron only",
    auth: "cron",
    responses: { 204: { description: "" } },
  }),
  echo: operation({
    method: "PUT",
    path: "/api/test/echo",
    summary: "body and query",
    auth: "none",
    query: z.object({ n: z.coerce.number().int().max(10) }),
    body: z.object({ text: z.string().max(5) }),
    responses: { 201: { description: "", schema: z.object({ n: z.number(), text: z.string() }) } },
  }),
  fails: operation({
    method: "GET",
    path: "/api/test/fails",
    summary: "throws what it is asked to",
    auth: "none",
    query: z.object({ with: z.string() }),
    responses: { 204: { description: "" } },
  }),
};

const moderate = route(ops.moderate, ({ viewer, params }) => {
  expect(params.reportId).toBe(7);
  return { userId: viewer.userId, roles: viewer.roles };
});
const maybe = route(ops.maybe, ({ viewer }) => ({ userId: viewer?.userId ?? null, roles: viewer?.roles ?? [] }));
const cron = route(ops.cron, () => undefined);
const echo = route(ops.echo, ({ query, body }) =>
  reply({ n: query.n, text: body.text }, { headers: { "server-timing": "x;dur=1" } }),
);
const failures: Record<string, () => Error> = {
  "no-demo-user": () => new NoDemoUserError(),
  "no-spotify": () => new SpotifyNotConfiguredError(),
  "bad-state": () => new OAuthStateError("unknown or expired state"),
  ours: () => new Error("a bug with a secret in it"),
};
const fails = route(ops.fails, ({ query }) => {
  throw failures[query.with]();
});

const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A token as Supabase Auth would sign it, with the given extra claims. */
async function tokenWith(userId: string, claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: "authenticated", ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setAudience("authenticated")
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(secret));
}

describeEachDriver("the route wrapper", (ctx) => {
  let restore: () => void;
  let userId = "";
  const moderation = (headers: Record<string, string> = {}) =>
    moderate(
      new Request("http://localhost/api/test/moderation/7", { method: "POST", headers }),
      params({ reportId: "7" }),
    );

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    vi.stubEnv("CRON_SECRET", "cron-secret-for-the-wrapper-test");
    restore = serveRoutesFrom(ctx.db);
    userId = await createUser(ctx.db, { displayName: "Mo" });
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  describe("roles", () => {
    it("lets a verified token with the role in app_metadata.mesh_roles in", async () => {
      const res = await moderation(bearer(await signAccessToken(userId, { roles: ["moderator"] })));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ userId, roles: ["moderator"] });
    });

    it("answers 403 to a signed-in person without the role", async () => {
      for (const token of [
        await signAccessToken(userId),
        await signAccessToken(userId, { roles: ["staff"] }),
        // Supabase lets people edit their own user_metadata: a role there is not a role.
        await tokenWith(userId, { user_metadata: { mesh_roles: ["moderator"] } }),
        await tokenWith(userId, { mesh_roles: ["moderator"] }),
        await tokenWith(userId, { app_metadata: { mesh_roles: "moderator" } }),
      ]) {
        const res = await moderation(bearer(token));
        expect(res.status).toBe(403);
        expect((await res.json()).error.code).toBe("forbidden");
      }
    });

    it("answers 401 when the token claiming the role does not verify, or is missing", async () => {
      const forged = await tokenWith(
        userId,
        { app_metadata: { mesh_roles: ["moderator"] } },
        "another-secret-entirely-0123456789",
      );
      for (const headers of [bearer(forged), {}]) {
        const res = await moderation(headers);
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe('Bearer realm="mesh"');
      }
    });

    it("issues local tokens with roles (npm run token -- <user> --role moderator)", async () => {
      const issued = await issueLocalToken(ctx.db, { mode: "user", userId, roles: ["moderator"] });
      expect((await verifyAccessToken(issued.token)).roles).toEqual(["moderator"]);
      const plain = await issueLocalToken(ctx.db, { mode: "user", userId });
      expect((await verifyAccessToken(plain.token)).roles).toEqual([]);
    });

    it("reads only known roles from a well-formed claim", () => {
      expect(rolesFromClaims({ app_metadata: { mesh_roles: ["staff", "root", "moderator"] } })).toEqual([
        "moderator",
        "staff",
      ]);
      expect(rolesFromClaims({ app_metadata: null })).toEqual([]);
      expect(rolesFromClaims({})).toEqual([]);
    });
  });

  it("optional auth: no token, no viewer; a token names the viewer; a bad token is a 401", async () => {
    expect(await (await maybe(new Request("http://localhost/api/test/maybe"))).json()).toEqual({
      userId: null,
      roles: [],
    });
    const signed = await maybe(
      new Request("http://localhost/api/test/maybe", { headers: bearer(await signAccessToken(userId)) }),
    );
    expect((await signed.json()).userId).toBe(userId);
    expect((await maybe(new Request("http://localhost/api/test/maybe", { headers: bearer("nonsense") }))).status).toBe(
      401,
    );
  });

  it("cron auth: the configured secret only; the answer without content is a 204", async () => {
    const call = (authorization?: string) =>
      cron(new Request("http://localhost/api/test/cron", { headers: authorization ? { authorization } : {} }));
    expect((await call("Bearer cron-secret-for-the-wrapper-test")).status).toBe(204);
    expect((await call("Bearer wrong")).status).toBe(401);
    expect((await call()).status).toBe(401);
  });

  it("parses query and JSON body with the operation's schemas and answers its status, uncached", async () => {
    const put = (url: string, body: string, type = "application/json") =>
      echo(new Request(url, { method: "PUT", headers: { "content-type": type }, body }));
    const ok = await put("http://localhost/api/test/echo?n=3", JSON.stringify({ text: "hi" }));
    expect(ok.status).toBe(201);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(ok.headers.get("server-timing")).toBe("x;dur=1");
    expect(await ok.json()).toEqual({ n: 3, text: "hi" });
    const badQuery = await put("http://localhost/api/test/echo?n=11", JSON.stringify({ text: "hi" }));
    expect(badQuery.status).toBe(400);
    expect((await badQuery.json()).error).toMatchObject({ code: "invalid_input", field: "n" });
    const badBody = await put("http://localhost/api/test/echo?n=1", JSON.stringify({ text: "too long" }));
    expect((await badBody.json()).error).toMatchObject({ code: "invalid_input", field: "text" });
    expect((await put("http://localhost/api/test/echo?n=1", "{", "application/json")).status).toBe(400);
    expect((await put("http://localhost/api/test/echo?n=1", "{}", "text/plain")).status).toBe(415);
  });

  it("answers domain errors from the one table, and our own failures as 500 without details", async () => {
    const fail = (what: string) => fails(new Request(`http://localhost/api/test/fails?with=${what}`));
    const cases: [string, number, Record<string, unknown>][] = [
      ["no-demo-user", 409, { code: "no_demo_user" }],
      ["no-spotify", 503, { code: "not_configured", message: expect.stringContaining("SPOTIFY_CLIENT_ID") }],
      ["bad-state", 400, { code: "invalid_state", field: "state" }],
    ];
    for (const [what, status, error] of cases) {
      const res = await fail(what);
      expect(res.status, what).toBe(status);
      expect((await res.json()).error, what).toMatchObject(error);
    }
    const ours = await fail("ours");
    expect(ours.status).toBe(500);
    expect(JSON.stringify(await ours.json())).not.toContain("secret");
  });
});
