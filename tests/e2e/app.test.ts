import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthResponse } from "../../api/health";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { builtAppAvailable, startApp, type RunningApp } from "../helpers/next-server";

const run = promisify(execFile);
const enabled = builtAppAvailable() && browserAvailable();

describe.runIf(enabled)("the built app on the embedded database", () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("answers /api/health with db pglite", async () => {
    const res = await fetch(`${app.url}/api/health`);
    expect(res.status).toBe(200);
    const body = healthResponse.parse(await res.json());
    expect(body.db).toBe("pglite");
    expect(body.migrations.applied).toBeGreaterThan(0);
  });

  it("shows the home page with the database status in a real browser", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Mesh Discovery");
    await expect(page.getByTestId("db-status").textContent()).resolves.toMatch(
      /Database: pglite, \d+ migrations applied/,
    );
    await page.close();
  });

  it("issues a token for a new user through the running server (which owns the data directory)", async () => {
    expect(
      existsSync(join(app.dataDir, "server.json")),
      "the server records itself as the data directory's owner",
    ).toBe(true);
    const { stdout } = await run(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "scripts/token.ts", "--new-user"],
      {
        env: { ...process.env, DATABASE_URL: "", MESH_DATA_DIR: app.dataDir },
      },
    );
    const [userId, token] = stdout.trim().split("\n").at(-1)!.split(" ");
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(token.split(".")).toHaveLength(3);
  });

  it("seeds demo data on first run, so a demo user with favorites can sign in", async () => {
    const { stdout } = await run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/token.ts", "--demo"], {
      env: { ...process.env, DATABASE_URL: "", MESH_DATA_DIR: app.dataDir },
    });
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^[0-9a-f-]{36} [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("sends security headers on pages and API answers", async () => {
    for (const path of ["/", "/api/health"]) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("serves the seed's /v1 routes through the rewrite, as API under the same proxy", async () => {
    const res = await fetch(`${app.url}/v1/scenarios/hometown/stats`);
    expect(res.status).toBe(200);
    expect(Object.keys(await res.json())).toEqual(
      expect.arrayContaining(["total_streams", "total_users", "cities_covered", "top_cities", "algorithm"]),
    );
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    // The proxy's API branch answers a preflight from an origin it does not allow (pages never see one).
    const preflight = await fetch(`${app.url}/v1/scenarios/hometown`, {
      method: "OPTIONS",
      headers: { origin: "https://elsewhere.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(403);
    const anonymous = await fetch(`${app.url}/v1/scenarios/hometown`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f", max_results: 5 }),
    });
    expect(anonymous.status).toBe(401);
  });

  it("refuses the local token route without the local key", async () => {
    const res = await fetch(`${app.url}/api/dev/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mode: "new-user" }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
  });
});
