import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { authConfigResponse } from "../../api/auth";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { startFakeGoTrue, type FakeAuthUser } from "../helpers/fake-gotrue";
import { builtAppAvailable, startApp, type RunningApp } from "../helpers/next-server";

const enabled = builtAppAvailable() && browserAvailable();
const SCREENSHOTS = resolve("test-results");
const JWT_SECRET = "e2e-supabase-jwt-secret-0123456789-abcdef";
const ANON_KEY = "anon-key-for-the-e2e-project";
const POLL = { timeout: 20_000, interval: 100 };

describe.runIf(enabled)("production sign-in with Supabase Auth, in a real browser", () => {
  let gotrue: Awaited<ReturnType<typeof startFakeGoTrue>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let ana: FakeAuthUser;
  let problems: string[] = [];
  // Browsers log a refused request (400 for a wrong password) as a console error: expected where a
  // test provokes one, on exactly that endpoint; anything else still fails the test.
  let expectedFailures: string[] = [];
  // The bearer token of each discovery request the page made.
  const candidateCalls: { token: string | null; status: number }[] = [];

  beforeAll(async () => {
    gotrue = await startFakeGoTrue({ jwtSecret: JWT_SECRET, anonKey: ANON_KEY });
    ana = gotrue.addUser("ana@example.com", "correct horse battery", { display_name: "Ana S." });
    app = await startApp({
      SUPABASE_URL: gotrue.url,
      SUPABASE_ANON_KEY: ANON_KEY,
      SUPABASE_JWT_SECRET: JWT_SECRET,
      MESH_DEMO_USERS: "0",
    });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const where = msg.location().url;
      if (/Failed to load resource/.test(msg.text()) && expectedFailures.some((u) => where.startsWith(u))) return;
      problems.push(`console: ${msg.text()} (${where})`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("response", (res) => {
      if (!res.url().includes("/api/v2/discovery/candidates")) return;
      const auth = res.request().headers()["authorization"] ?? null;
      candidateCalls.push({ token: auth?.replace(/^Bearer /, "") ?? null, status: res.status() });
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterEach(async (ctx) => {
    const name = ctx.task.name.replace(/[^\w]+/g, "-").slice(0, 60);
    await page.screenshot({ path: `${SCREENSHOTS}/supabase-${name}.png`, fullPage: true }).catch(() => {});
    const seen = problems;
    problems = [];
    expectedFailures = [];
    expect(seen, "no console or page errors").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await gotrue?.close();
  });

  const storedSession = () =>
    page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => /^sb-.*-auth-token$/.test(k));
      return key ? (JSON.parse(localStorage.getItem(key)!) as { access_token: string; expires_at: number }) : null;
    });
  const signedInShowsDiscovery = async () => {
    // Signed in and served: the carousel (or, for someone new, its empty state), not an error.
    await expect
      .poll(
        async () => (await page.getByTestId("carousel").count()) + (await page.getByTestId("carousel-empty").count()),
        {
          timeout: 30_000,
        },
      )
      .toBe(1);
    expect(await page.getByTestId("carousel-error").count()).toBe(0);
  };
  const signOut = async () => {
    await page.getByTestId("sign-out").click();
    await expect.poll(() => page.getByTestId("email-sign-in").isVisible(), POLL).toBe(true);
  };
  const exportFor = async (token: string) => {
    const res = await fetch(`${app.url}/api/v2/privacy/export`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return res.json();
  };

  it("offers email sign-in configured at run time, and no demo sign-in", async () => {
    const config = authConfigResponse.parse(await (await fetch(`${app.url}/api/auth/config`)).json());
    expect(config).toEqual({ mode: "supabase", supabaseUrl: gotrue.url, anonKey: ANON_KEY });
    expect((await fetch(`${app.url}/api/dev/demo-session`, { method: "POST" })).status).toBe(404);
    // The page may talk to this Supabase project (and no other origin).
    const csp = (await fetch(app.url)).headers.get("content-security-policy");
    expect(csp).toContain(`connect-src 'self' ${gotrue.url}`);
    expect(csp).toContain("frame-ancestors 'none'");

    await page.goto(app.url);
    await expect.poll(() => page.getByTestId("email-sign-in").isVisible(), POLL).toBe(true);
    expect(await page.getByTestId("demo-sign-in").count()).toBe(0);
    // Labelled controls: found by their visible labels, as a screen reader would announce them.
    expect(await page.getByLabel("Email").isVisible()).toBe(true);
    expect(await page.getByLabel("Password").isVisible()).toBe(true);
  });

  it("says clearly when the password is wrong, in either of GoTrue's error formats", async () => {
    expectedFailures = [`${gotrue.url}/auth/v1/token?grant_type=password`];
    await page.getByTestId("sign-in-email").fill("ana@example.com");
    await page.getByTestId("sign-in-password").fill("not her password");
    await page.getByTestId("sign-in-submit").click();
    await expect.poll(() => page.getByTestId("sign-in-error").textContent(), POLL).toBe("Wrong email or password.");
    expect(await storedSession()).toBeNull();

    gotrue.state.legacyErrors = true; // {error: "invalid_grant", error_description}, no error code
    try {
      await page.getByTestId("sign-in-password").fill("still wrong");
      await page.getByTestId("sign-in-submit").click();
      await expect.poll(() => page.getByTestId("sign-in-submit").isDisabled(), POLL).toBe(false);
      await expect.poll(() => page.getByTestId("sign-in-error").textContent(), POLL).toBe("Wrong email or password.");
    } finally {
      gotrue.state.legacyErrors = false;
    }
    expect(gotrue.requests.filter((r) => r === "POST /auth/v1/token?grant_type=password")).toHaveLength(2);
  });

  it("signs in with email and password; discovery loads with that user's token and a new profile", async () => {
    candidateCalls.length = 0;
    await page.getByTestId("sign-in-password").fill("correct horse battery");
    await page.getByTestId("sign-in-submit").click();
    await signedInShowsDiscovery();
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe("Signed in as ana@example.com");

    expect(candidateCalls.length).toBeGreaterThan(0);
    for (const call of candidateCalls) {
      expect(call.status).toBe(200);
      expect(gotrue.state.issued.get(call.token!), "a token Supabase Auth issued to Ana").toBe(ana.id);
    }
    // Her first request created her account and profile (named as at sign-up) in the app's database.
    const exported = await exportFor(candidateCalls[0].token!);
    expect(exported.userId).toBe(ana.id);
    expect(exported.tables.account.email).toBe("ana@example.com");
    expect(exported.tables.profiles.map((p: { display_name: string }) => p.display_name)).toEqual(["Ana S."]);
  });

  it("keeps the session across a reload and refreshes a token about to expire", async () => {
    const before = await storedSession();
    expect(before).not.toBeNull();
    // As if the hour were nearly up: supabase-js refreshes on load, and the pages use the new token.
    await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => /^sb-.*-auth-token$/.test(k))!;
      const session = JSON.parse(localStorage.getItem(key)!);
      session.expires_at = Math.floor(Date.now() / 1000) + 5;
      localStorage.setItem(key, JSON.stringify(session));
    });
    const refreshesBefore = gotrue.requests.filter((r) => r.includes("grant_type=refresh_token")).length;
    candidateCalls.length = 0;
    await page.reload();
    await signedInShowsDiscovery();
    expect(gotrue.requests.filter((r) => r.includes("grant_type=refresh_token")).length).toBeGreaterThan(
      refreshesBefore,
    );
    const after = await storedSession();
    expect(after!.access_token).not.toBe(before!.access_token);
    expect(candidateCalls.at(-1)).toEqual({ token: after!.access_token, status: 200 });
    expect(gotrue.state.issued.get(after!.access_token)).toBe(ana.id);
  });

  it("signs out, ending the session at Supabase too", async () => {
    const token = (await storedSession())!.access_token;
    await signOut();
    // The page shows the sign-in form at once; supabase-js forgets the session when GoTrue has
    // answered the logout, a moment later.
    await expect.poll(storedSession, POLL).toBeNull();
    expect(gotrue.requests).toContain("POST /auth/v1/logout?scope=global");
    // The refresh token is revoked: GET /user with the old session answers session_not_found.
    const user = await fetch(`${gotrue.url}/auth/v1/user`, {
      headers: { apikey: ANON_KEY, authorization: `Bearer ${token}` },
    });
    expect(user.status).toBe(403);
    await page.reload();
    await expect.poll(() => page.getByTestId("email-sign-in").isVisible(), POLL).toBe(true);
  });

  it("creates an account with a name others see, and refuses an address already registered", async () => {
    expectedFailures = [`${gotrue.url}/auth/v1/signup`];
    await page.getByTestId("sign-in-switch").click();
    await page.getByTestId("sign-in-email").fill("ana@example.com");
    await page.getByTestId("sign-in-password").fill("another password");
    await page.getByTestId("sign-in-name").fill("Ana again");
    await page.getByTestId("sign-in-submit").click();
    await expect
      .poll(() => page.getByTestId("sign-in-error").textContent(), POLL)
      .toBe("There is already an account with this email: sign in instead.");

    await page.getByTestId("sign-in-email").fill("bo@example.com");
    await page.getByTestId("sign-in-name").fill("Bo K.");
    await page.getByTestId("sign-in-submit").click();
    // A new account starts at /welcome; skipping it leads to discovery.
    await expect.poll(() => page.url(), { timeout: 30_000 }).toBe(`${app.url}/welcome`);
    await page.getByTestId("welcome-skip").click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toBe(`${app.url}/`);
    await signedInShowsDiscovery();
    const bo = gotrue.state.users.get("bo@example.com")!;
    const exported = await exportFor((await storedSession())!.access_token);
    expect(exported.userId).toBe(bo.id);
    expect(exported.tables.profiles.map((p: { display_name: string }) => p.display_name)).toEqual(["Bo K."]);
    await signOut();
  });

  it("signs in with an emailed magic link", async () => {
    await page.getByTestId("sign-in-email").fill("cy@example.com");
    await page.getByTestId("magic-link").click();
    await expect
      .poll(() => page.getByTestId("sign-in-notice").textContent(), POLL)
      .toBe("We sent a sign-in link to cy@example.com. Open it on this device to continue.");
    const mail = gotrue.state.mails.at(-1)!;
    expect(mail).toMatchObject({ email: "cy@example.com", type: "magiclink" });
    expect(new URL(mail.link).searchParams.get("redirect_to")).toBe(`${app.url}/`);

    candidateCalls.length = 0;
    await page.goto(mail.link); // Supabase Auth verifies the link and sends the browser back here
    await signedInShowsDiscovery();
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe("Signed in as cy@example.com");
    expect(page.url()).not.toContain("access_token"); // the session left the address bar
    const cy = gotrue.state.users.get("cy@example.com")!;
    expect(gotrue.state.issued.get(candidateCalls.at(-1)!.token!)).toBe(cy.id);
    await signOut();
  });
});
