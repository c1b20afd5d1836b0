// CI (.ci/run): proves a just-started `npm run dev` (process DEV_PID) serves what the README
// promises. Once /api/health answers on PORT: a demo token from `npm run token -- --demo` gets
// candidates from the API, and the page, opened as localhost and as 127.0.0.1, signs a person in
// as a demo user and shows candidate cards. Any failure exits non-zero; the run is bounded in time.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../../tests/helpers/browser";

const PORT = process.env.PORT || "3000";
const DEV_PID = Number(process.env.DEV_PID);
// A first start migrates and seeds 2,000 demo users (about 20 s on two idle cores).
const HEALTH_MS = 180_000;
const TOTAL_MS = 420_000;
// The first page load compiles the page and its chunks (Turbopack, two shared cores).
const CARDS_MS = 90_000;

setTimeout(() => fail(`gave up after ${TOTAL_MS / 1000} s`), TOTAL_MS).unref();

function fail(message: string): never {
  console.error(`dev-smoke: FAILED: ${message}`);
  process.exit(1);
}

async function waitForHealth(): Promise<void> {
  const deadline = Date.now() + HEALTH_MS;
  for (;;) {
    if (DEV_PID) {
      try {
        process.kill(DEV_PID, 0);
      } catch {
        fail("npm run dev exited before /api/health answered");
      }
    }
    const res = await fetch(`http://127.0.0.1:${PORT}/api/health`, { signal: AbortSignal.timeout(10_000) }).catch(
      () => null,
    );
    if (res?.ok) break;
    if (Date.now() > deadline) fail(`/api/health did not answer 200 within ${HEALTH_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`dev-smoke: /api/health answered after ${Math.round(process.uptime())} s`);
}

async function apiCandidates(): Promise<void> {
  // The README's command, which asks the running server (it owns .data/) for the token.
  const { stdout } = await promisify(execFile)("npm", ["run", "token", "--", "--demo"], { timeout: 60_000 });
  const token = stdout.trim().split("\n").at(-1)?.split(" ")[1];
  if (!token) fail(`npm run token -- --demo printed no "<userId> <token>" line:\n${stdout}`);
  const res = await fetch(`http://localhost:${PORT}/api/v2/discovery/candidates`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(60_000),
  });
  const body = (await res.json()) as { candidates?: unknown[] };
  if (!res.ok || !body.candidates?.length) fail(`candidates: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  console.log(`dev-smoke: API: ${body.candidates.length} candidates for the demo user`);
}

/**
 * Opens `/` on `origin` as a person would: clicks "Continue as a demo user", waits for cards. Page
 * errors, console errors and failed responses fail it too, as they do in tests/e2e/pages.test.ts.
 */
async function pageShowsCards(browser: Browser, origin: string): Promise<void> {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => msg.type() === "error" && problems.push(`console: ${msg.text()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  try {
    await page.goto(`${origin}/`, { timeout: CARDS_MS });
    await page.getByRole("button", { name: "Continue as a demo user" }).click({ timeout: CARDS_MS });
    await page.getByTestId("candidate-card").first().waitFor({ timeout: CARDS_MS });
    const cards = await page.getByTestId("candidate-card").count();
    // A page can show cards and still be half broken (a blocked HMR socket, a failing request).
    if (problems.length) throw new Error("errors while loading the page");
    console.log(`dev-smoke: ${origin}/ shows ${cards} candidate cards after demo sign-in`);
  } catch (err) {
    const text = await page
      .locator("body")
      .innerText()
      .catch(() => "(no page)");
    fail(
      `${origin}/: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}\n` +
        `page text: ${text.slice(0, 300)}\n${[...new Set(problems)].slice(0, 10).join("\n")}`,
    );
  } finally {
    await context.close();
  }
}

await waitForHealth();
await apiCandidates();
const browser = await launchBrowser();
try {
  // 127.0.0.1 is not the host next dev starts for: its scripts load only by allowedDevOrigins.
  for (const host of ["localhost", "127.0.0.1"]) await pageShowsCards(browser, `http://${host}:${PORT}`);
} finally {
  await browser.close();
}
console.log("dev-smoke: ok");
