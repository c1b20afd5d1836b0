import { join } from "node:path";
import { SignJWT } from "jose";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite } from "../../lib/db/pglite";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { prepareEmbeddedData } from "../helpers/embedded-data";
import { builtAppAvailable, newDataDir, startApp, type RunningApp } from "../helpers/next-server";

const enabled = builtAppAvailable() && browserAvailable();
const SECRET = "moderation-e2e-secret-of-sufficient-length";
const POLL = { timeout: 20_000, interval: 100 };

describe.runIf(enabled)("the moderation page, in a real browser against the built app", () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let people: { id: string; name: string }[] = [];
  /** Demo people in their parts: the viewer, the person they are shown first, and others. */
  let cast: Record<"viewer" | "target" | "reporter" | "other" | "moderator" | "second", { id: string; name: string }>;

  /** A token the app accepts (it verifies with SUPABASE_JWT_SECRET), with roles in app_metadata. */
  const token = async (userId: string, roles: string[] = []) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ role: "authenticated", app_metadata: { mesh_roles: roles } })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(userId)
      .setAudience("authenticated")
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(SECRET));
  };
  const api = async (path: string, init: RequestInit & { as: string; roles?: string[] }) =>
    fetch(`${app.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${await token(init.as, init.roles)}`, "content-type": "application/json" },
    });
  /** Signs the tab in as this person, as the demo sign-in would (sessionStorage), then opens the page. */
  const openAs = async (userId: string, roles: string[], path: string) => {
    const session = JSON.stringify({ userId, token: await token(userId, roles) });
    await page.evaluate((s) => sessionStorage.setItem("mesh.session", s), session);
    await page.goto(`${app.url}${path}`);
  };
  const candidateIds = async (viewer: string) => {
    const res = await api("/api/v2/discovery/candidates?limit=50", { as: viewer });
    expect(res.status).toBe(200);
    return ((await res.json()) as { candidates: { userId: string }[] }).candidates.map((c) => c.userId);
  };

  beforeAll(async () => {
    const dataDir = newDataDir();
    await prepareEmbeddedData(dataDir, { users: 40 });
    const db = await openPglite(join(dataDir, "pglite"));
    people = await db.query<{ id: string; name: string }>(
      `SELECT user_id AS id, display_name AS name FROM profiles WHERE is_demo ORDER BY user_id`,
    );
    await db.close();
    app = await startApp({ SUPABASE_JWT_SECRET: SECRET }, { dataDir });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    await page.goto(app.url);
    const viewer = people[0];
    const firstShown = (await candidateIds(viewer.id))[0];
    const target = people.find((p) => p.id === firstShown)!;
    const [reporter, other, moderator, second] = people.filter((p) => p !== viewer && p !== target);
    cast = { viewer, target, reporter, other, moderator, second };
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows a moderator the open report with the person's reports and blocks, and suspends them from everyone's discovery", async () => {
    // The person the viewer is shown first: reported, blocked by someone else, then suspended.
    const { reporter, other, viewer, moderator } = cast;
    const target = cast.target.id;
    const filed = await api("/api/v2/reports", {
      as: reporter.id,
      method: "POST",
      body: JSON.stringify({ userId: target, reason: "harassment", text: "Kept messaging me after I said no." }),
    });
    expect(filed.status).toBe(201);
    await api("/api/v2/blocks", { as: other.id, method: "POST", body: JSON.stringify({ userId: target }) });
    expect(await candidateIds(viewer.id)).toContain(target);

    await openAs(moderator.id, ["moderator"], "/moderation");
    const card = page.getByTestId("open-report");
    await expect.poll(() => card.count(), POLL).toBe(1);
    const name = cast.target.name;
    await expect(card.locator("h3").textContent()).resolves.toBe(`Reported: ${name}`);
    await expect(card.getByTestId("report-text").textContent()).resolves.toBe("Kept messaging me after I said no.");
    await expect(card.getByTestId("report-blocks").textContent()).resolves.toBe(
      "People who blocked them: 1 in the last 90 days, 1 in all",
    );
    await expect(card.getByTestId("recent-reports").locator("li").count()).resolves.toBe(1);
    // Nothing in the page names the reporter.
    await expect(page.locator("main").textContent()).resolves.not.toContain(reporter.name);

    await card.getByTestId("moderate-suspend").click();
    await expect
      .poll(() => page.getByTestId("moderation-done").textContent(), POLL)
      .toBe(`${name} was suspended from discovery; 1 open reports upheld.`);
    await expect.poll(() => page.getByTestId("moderation-empty").isVisible(), POLL).toBe(true);
    // The viewer's cached slate showed the person; the next request does not.
    expect(await candidateIds(viewer.id)).not.toContain(target);
    expect(problems).toEqual([]);
  });

  it("speaks Spanish, and tells someone without the role that the page is for moderators", async () => {
    const { reporter, moderator, second } = cast;
    await api("/api/v2/reports", {
      as: reporter.id,
      method: "POST",
      body: JSON.stringify({ userId: second.id, reason: "spam" }),
    });
    await page.evaluate(() => localStorage.setItem("mesh.locale", "es"));
    await openAs(moderator.id, ["moderator"], "/moderation");
    await expect.poll(() => page.locator("h1").textContent(), POLL).toBe("Moderación: denuncias abiertas");
    const card = page.getByTestId("open-report");
    await expect.poll(() => card.count(), POLL).toBe(1);
    await expect(card.locator("h3").textContent()).resolves.toBe(`Denunciado: ${second.name}`);
    await expect(card.getByTestId("report-text").textContent()).resolves.toBe("(sin texto)");
    await card.getByTestId("moderate-dismiss").click();
    await expect.poll(() => page.getByTestId("moderation-done").textContent(), POLL).toBe("Denuncia desestimada.");
    expect(problems).toEqual([]);

    await page.evaluate(() => localStorage.setItem("mesh.locale", "en"));
    await openAs(reporter.id, [], "/moderation");
    await expect
      .poll(() => page.getByTestId("moderation-forbidden").textContent(), POLL)
      .toBe("This page is for moderators: your sign-in does not carry the moderator role.");
    // The browser logs the API's 403 as a failed resource load; nothing else may have gone wrong.
    expect(problems.filter((p) => !/403/.test(p))).toEqual([]);
  });
});
