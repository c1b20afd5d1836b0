import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { COVER_HOST, prepareEmbeddedData } from "../helpers/embedded-data";
import { builtAppAvailable, newDataDir, startApp, type RunningApp } from "../helpers/next-server";

const enabled = builtAppAvailable() && browserAvailable();
const run = promisify(execFile);
const SCREENSHOTS = resolve("test-results");
const LETTERBOXD_ZIP = resolve("../shared/fixtures/letterboxd-export.zip");
// Reasons that come from the viewer's favorites: shared titles, shared traits, similar taste.
// Polls wait long: two shared cores, and the in-process job worker re-embeds beside each request.
const POLL = { timeout: 20_000, interval: 100 };
const PAUSED_POLL = { timeout: 60_000, interval: 200 };
const TASTE_REASON = /You both love|Both enjoy|Similar taste/;
const BAND_LABELS = [
  "Less than 5 km away",
  "5–25 km away",
  "25–100 km away",
  "More than 100 km away",
  "Distance unknown",
];
// A 1x1 PNG: what the fake cover host answers.
const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** Width and height from a PNG's IHDR chunk (bytes 16-23, big-endian), after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Drags a card from its head (the avatar, not a button), in steps as a hand would. */
async function dragCard(tab: Page, card: ReturnType<Page["getByTestId"]>, dx: number, dy: number): Promise<void> {
  const box = (await card.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + 40;
  await tab.mouse.move(x, y);
  await tab.mouse.down();
  await tab.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
  await tab.mouse.move(x + dx, y + dy, { steps: 5 });
  await tab.mouse.up();
}

describe.runIf(enabled)("the pages, in a real browser against the built app", () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  // Every console error and uncaught page error fails the test it happened in.
  let problems: string[] = [];
  // Requests the cards made for cover art (served here: there is no network), with their Referer.
  const coverRequests: { url: string; referer: string | undefined }[] = [];

  beforeAll(async () => {
    // The demo data the app would seed on first run, plus cover art on films and books.
    const dataDir = newDataDir();
    await prepareEmbeddedData(dataDir, { users: 2000, catalogue: true });
    app = await startApp({}, { dataDir });
    browser = await launchBrowser();
    // One tab for the whole file: the session lives in its sessionStorage, as it would for a person.
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await context.route(`${COVER_HOST}/**`, (route) => {
      coverRequests.push({ url: route.request().url(), referer: route.request().headers()["referer"] });
      return route.fulfill({ status: 200, contentType: "image/png", body: PIXEL });
    });
    page = await context.newPage();
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterEach(async (ctx) => {
    const name = ctx.task.name.replace(/[^\w]+/g, "-").slice(0, 60);
    await page.screenshot({ path: `${SCREENSHOTS}/pages-${name}.png`, fullPage: true }).catch(() => {});
    const seen = problems;
    problems = [];
    expect(seen, "no console or page errors").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const cards = () => page.getByTestId("candidate-card");
  const cardIds = () => cards().evaluateAll((els) => els.map((e) => e.getAttribute("data-user-id")));
  const token = () => page.evaluate(() => JSON.parse(sessionStorage.getItem("mesh.session")!).token as string);

  it("signs in as a demo user and shows ten people with names, avatars and reasons", async () => {
    await page.goto(app.url);
    await page.getByTestId("demo-sign-in").click();
    await expect.poll(() => cards().count(), { timeout: 30_000 }).toBe(10);
    const first = cards().first();
    await expect(first.locator("h3").textContent()).resolves.toMatch(/\S/);
    await expect(first.locator("[aria-hidden=true]").first().textContent()).resolves.toMatch(/^[A-ZÀ-Ý?]{1,2}$/);
    const reasons = await page.getByTestId("candidate-reason").allTextContents();
    expect(reasons.length).toBeGreaterThanOrEqual(10);
    expect(
      reasons.some((r) => TASTE_REASON.test(r)),
      "a demo user with favorites gets taste reasons",
    ).toBe(true);
    await expect(page.getByRole("link", { name: "/api/health" }).isVisible()).resolves.toBe(true);
  });

  it("shows each person's distance as a band, and shared favorites with their covers", async () => {
    const bands = await page.getByTestId("distance-band").allTextContents();
    expect(bands).toHaveLength(10);
    for (const band of bands) expect(BAND_LABELS).toContain(band);
    expect(
      bands.some((b) => b !== "Distance unknown"),
      "demo people live in cities: some distance is known",
    ).toBe(true);

    const withCover = page.getByTestId("shared-favorite").filter({ has: page.locator("img") });
    await expect.poll(() => withCover.count(), POLL).toBeGreaterThan(0);
    const favorite = withCover.first();
    await favorite.scrollIntoViewIfNeeded();
    const cover = favorite.locator("img");
    const title = await favorite.locator("span").textContent();
    expect(title).toMatch(/\S/);
    await expect(cover.getAttribute("alt")).resolves.toBe(`Cover of ${title}`);
    await expect(cover.getAttribute("src")).resolves.toMatch(/^https:\/\/covers\.example\.test\/(imdb|isbn)-/);
    // The image really loaded (the CSP lets https covers in), and the cover host was not told the page.
    await expect
      .poll(() => cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), POLL)
      .toBe(true);
    expect(coverRequests.length).toBeGreaterThan(0);
    expect(coverRequests.map((r) => r.referer ?? null)).toEqual(coverRequests.map(() => null));
  });

  it("connecting with someone (button) and passing (left arrow) change the next slate", async () => {
    const before = await cardIds();
    await cards().nth(2).getByTestId("connect").click();
    await expect
      .poll(() => page.getByTestId("carousel-notice").textContent(), POLL)
      .toMatch(/Connection request sent to/);
    await expect.poll(async () => (await cardIds()).includes(before[2]), POLL).toBe(false);
    expect(await cards().count()).toBe(10);

    const current = await cardIds();
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => page.getByTestId("carousel-notice").textContent(), POLL).toMatch(/Passed on/);
    await expect.poll(async () => (await cardIds()).includes(current[0]), POLL).toBe(false);
  });

  it("pointer swipes: dragging a card left passes, up asks for more like this", async () => {
    await expect.poll(() => cards().count(), POLL).toBe(10);
    await cards().nth(0).scrollIntoViewIfNeeded();
    const before = await cardIds();
    await dragCard(page, cards().nth(0), -150, 10);
    await expect.poll(async () => (await cardIds()).includes(before[0]), POLL).toBe(false);
    expect(await page.getByTestId("carousel-notice").textContent()).toMatch(/^Passed on /);

    const liked = (await cards().nth(0).locator("h3").textContent())!;
    await dragCard(page, cards().nth(0), 10, -150);
    await expect
      .poll(() => page.getByTestId("carousel-notice").textContent(), POLL)
      .toBe(`We'll show more people like ${liked}.`);
  });

  it("reports how long the cards in view were looked at when the page is hidden, and the export lists it", async () => {
    await expect.poll(() => cards().count(), POLL).toBe(10);
    const firstCard = (await cardIds())[0]!;
    await page.waitForTimeout(1200); // more than the half second a card must be in view to count
    await page.evaluate(() => window.dispatchEvent(new Event("pagehide")));
    const accessToken = await token();
    const dwelt = () =>
      page.evaluate(async (bearer) => {
        const res = await fetch("/api/v2/privacy/export", { headers: { authorization: `Bearer ${bearer}` } });
        const doc = (await res.json()) as {
          tables: { events: { kind: string; target_type: string; target_id: string; value: number }[] };
        };
        return doc.tables.events.filter((e) => e.kind === "dwell" && e.target_type === "person");
      }, accessToken);
    await expect.poll(async () => (await dwelt()).map((e) => e.target_id), POLL).toContain(firstCard);
    const first = (await dwelt()).find((e) => e.target_id === firstCard)!;
    expect(first.value).toBeGreaterThanOrEqual(500);
  });

  it("switches the carousel to Spanish, reasons included", async () => {
    await page.getByTestId("locale-switch").selectOption("es");
    await expect.poll(() => page.locator("#discover-title").textContent(), POLL).toBe("Personas para ti");
    await expect.poll(() => cards().first().getByTestId("connect").textContent(), POLL).toMatch(/Conectar/);
    // The slate is fetched again in Spanish: the reasons come translated from the API.
    await expect
      .poll(
        async () =>
          (await page.getByTestId("candidate-reason").allTextContents()).some((r) =>
            /A los dos os encanta|Compartís|Gustos parecidos/.test(r),
          ),
        POLL,
      )
      .toBe(true);
    expect((await page.getByTestId("distance-band").allTextContents()).every((b) => /^(A |Distancia)/.test(b))).toBe(
      true,
    );
    await page.getByTestId("locale-switch").selectOption("en");
    await expect.poll(() => page.locator("#discover-title").textContent(), POLL).toBe("People for you");
  });

  it("shows live demo rooms under the carousel, and a room page with the people inside and whom to invite", async () => {
    const rooms = page.getByTestId("room-card");
    await expect.poll(() => rooms.count(), POLL).toBeGreaterThan(0);
    await expect(rooms.first().getByTestId("room-reasons").locator("li").count()).resolves.toBeGreaterThan(0);
    await rooms.first().getByRole("link").click();
    await expect.poll(() => page.getByTestId("room-page").count(), POLL).toBe(1);
    const attendees = page.getByTestId("room-attendees").locator("li");
    const before = await attendees.count();
    expect(before, "demo rooms have people inside").toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId("invite-join-first").isVisible()).resolves.toBe(true);
    await page.getByTestId("room-join").click();
    await expect.poll(() => attendees.count(), POLL).toBe(before + 1);
    // Inside, the invite panel answers: people close to the room's taste, or says there is nobody yet.
    await expect
      .poll(
        () =>
          page
            .getByTestId("invite-person")
            .count()
            .then(async (n) => n + (await page.getByTestId("invite-empty").count())),
        POLL,
      )
      .toBeGreaterThan(0);
    await page.getByTestId("room-leave").click();
    await expect.poll(() => attendees.count(), POLL).toBe(before);
    await page.goto(app.url);
    await expect.poll(() => cards().count(), { timeout: 30_000 }).toBe(10);
  });

  it("shows demo streams near the viewer and for them on /live (through /v1), filters by category chips, and follows a creator", async () => {
    await page.getByRole("link", { name: "Live" }).click();
    const streams = page.getByTestId("stream-card");
    await expect.poll(() => streams.count(), POLL).toBeGreaterThan(0);
    await expect(streams.first().getByTestId("stream-reasons").textContent()).resolves.toMatch(/Near you: .* km away/);
    // For you: the home feed with reasons; a category chip loads that category's feed.
    const forYou = page.getByTestId("for-you-card");
    await expect.poll(() => forYou.count(), POLL).toBeGreaterThan(0);
    await expect(page.getByTestId("for-you-model").textContent()).resolves.toContain("feed-default-v1");
    await expect(forYou.first().getByTestId("for-you-reason").textContent()).resolves.toMatch(/\w/);
    // Watching a For you stream sends a watch event carrying the feed's request id (a ranker label).
    const watched = (await forYou.first().getAttribute("data-stream-id"))!;
    const requestId = await page
      .getByTestId("for-you-row")
      .locator("ul[data-request-id]")
      .getAttribute("data-request-id");
    await forYou.first().getByTestId("watch").click();
    await forYou.first().getByTestId("watch").click();
    const bearer = await token();
    const watchRequestIds = () =>
      page.evaluate(
        async ({ authorization, id }) => {
          const res = await fetch("/api/v2/privacy/export", { headers: { authorization } });
          const doc = (await res.json()) as {
            tables: { events: { kind: string; target_id: string; payload: { context?: { requestId?: string } } }[] };
          };
          return doc.tables.events
            .filter((e) => e.kind === "watch" && e.target_id === id)
            .map((e) => e.payload.context?.requestId);
        },
        { authorization: `Bearer ${bearer}`, id: watched },
      );
    await expect.poll(watchRequestIds, POLL).toEqual([requestId]);
    const forYouChip = page.getByTestId("for-you-chip").nth(1);
    const forYouCategory = (await forYouChip.textContent())!;
    await forYouChip.click();
    const feedCategories = () => forYou.evaluateAll((cards) => cards.map((c) => c.getAttribute("data-category")));
    await expect.poll(async () => [...new Set(await feedCategories())], POLL).toEqual([forYouCategory]);
    const chip = page.getByTestId("category-chip").nth(1);
    const category = (await chip.textContent())!;
    await chip.click();
    const shown = await streams.evaluateAll((cards) => cards.map((c) => c.getAttribute("data-category")));
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set([category]));
    const follow = streams.first().getByTestId("follow");
    await follow.click();
    await expect.poll(() => follow.textContent(), POLL).toBe("Following");
    await page.reload();
    await expect.poll(() => page.getByRole("button", { name: "Following" }).count(), POLL).toBeGreaterThan(0);
    await page.goto(app.url);
    await expect.poll(() => cards().count(), { timeout: 30_000 }).toBe(10);
  });

  it("shops on /shop: the grid, a product's people also liked, and complete your cart without what is in it", async () => {
    await page.getByRole("link", { name: "Shop" }).click();
    const list = (context: string) => page.locator(`[data-testid=shop-list][data-context=${context}]`);
    const shown = (context: string) =>
      list(context)
        .getByTestId("product-card")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-product-id")));
    await expect.poll(async () => (await shown("homepage")).length, POLL).toBeGreaterThan(0);
    await expect(list("homepage").getByTestId("shop-source").textContent()).resolves.toMatch(/^Source: [a-z-]+ \(/);

    const productId = (await shown("homepage"))[0]!;
    await list("homepage").getByTestId("product-card").first().click();
    await expect.poll(() => page.getByTestId("product-panel").getAttribute("data-product-id"), POLL).toBe(productId);
    await expect(list("product-page").getByRole("heading").textContent()).resolves.toBe("People also liked");
    await expect.poll(async () => (await shown("product-page")).length, POLL).toBeGreaterThan(0);
    expect(await shown("product-page")).not.toContain(productId);

    await page.getByTestId("add-to-cart").click();
    await expect
      .poll(() => page.getByTestId("cart-item").evaluateAll((els) => els.map((e) => e.getAttribute("data-product-id"))))
      .toEqual([productId]);
    await expect(list("cart").getByRole("heading").textContent()).resolves.toBe("Complete your cart");
    await expect.poll(async () => (await shown("cart")).length, POLL).toBeGreaterThan(0);
    expect(await shown("cart")).not.toContain(productId);
    await expect(list("cart").getByTestId("shop-source").textContent()).resolves.toMatch(/^Source: [a-z-]+ \(/);

    // The page fed the recommender: the click, the view and the add to cart are the person's events,
    // beside the impression logged when the home list showed the product.
    const bearer = await token();
    const kinds = () =>
      page.evaluate(
        async ({ authorization, id }) => {
          const res = await fetch("/api/v2/privacy/export", { headers: { authorization } });
          const doc = (await res.json()) as { tables: { events: { kind: string; target_id: string }[] } };
          return [...new Set(doc.tables.events.filter((e) => e.target_id === id).map((e) => e.kind))].sort();
        },
        { authorization: `Bearer ${bearer}`, id: productId },
      );
    await expect.poll(kinds, POLL).toEqual(["add_to_cart", "click", "impression", "view"]);
  });

  it("adds a favorite through auto-complete, shows it added, and undoes it", async () => {
    await page.getByRole("link", { name: "Favorites" }).click();
    await expect.poll(() => page.getByTestId("favorite-item").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const owned = await page
      .getByTestId("favorite-item")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-media-id")));
    await page.getByTestId("favorite-search").pressSequentially("Beyond the");
    await expect.poll(() => page.getByTestId("favorite-suggestion").count(), POLL).toBeGreaterThan(0);
    const suggestions = await page
      .getByTestId("favorite-suggestion")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-media-id")));
    const fresh = suggestions.findIndex((id) => !owned.includes(id));
    expect(fresh, "a suggested title the demo user does not have yet").toBeGreaterThanOrEqual(0);
    const title = (await page.getByTestId("favorite-suggestion").nth(fresh).textContent())!.split(/ \(| · /)[0];
    const listed = () =>
      page
        .getByTestId("favorite-item")
        .evaluateAll((els) => els.map((e) => ({ id: e.getAttribute("data-media-id"), text: e.textContent ?? "" })));

    // Undo is offered for 10 s (a timer in the page). Waiting for the list to refresh on a busy
    // machine could eat that window, so the page's clock stands still from just before the add
    // until the undo: the timer cannot fire while the list is checked, and nothing is skipped.
    // (Fetches and React rendering do not run on the page's timers; they carry on meanwhile.)
    await page.clock.install();
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 5_000);
    try {
      await page.getByTestId("favorite-suggestion").nth(fresh).click();
      await expect.poll(() => page.getByTestId("favorite-added").textContent(), POLL).toContain(`Added ${title}`);
      // The list itself re-read the favorites: everything it showed before, plus the title just added.
      // With the page's clock paused nothing expires meanwhile, so a slow machine may take longer.
      await expect.poll(() => page.getByTestId("favorite-item").count(), PAUSED_POLL).toBe(owned.length + 1);
      const added = (await listed()).filter((item) => !owned.includes(item.id));
      expect(added).toHaveLength(1);
      expect(added[0].text).toContain(title);

      await page.getByTestId("favorite-undo").click();
      await expect.poll(() => page.getByTestId("favorite-undone").textContent(), POLL).toContain(`Removed ${title}`);
      await expect.poll(() => page.getByTestId("favorite-item").count(), PAUSED_POLL).toBe(owned.length);
      expect((await listed()).map((item) => item.id)).toEqual(owned);
      expect(await page.getByTestId("favorite-added").count()).toBe(0);
    } finally {
      await page.clock.resume();
    }
  });

  it("uploads a Letterboxd export and follows it until the status says done, with counts", async () => {
    await page.getByTestId("import-file").setInputFiles(LETTERBOXD_ZIP);
    await expect
      .poll(() => page.getByTestId("import-status").getAttribute("data-state"), { timeout: 90_000, interval: 500 })
      .toBe("done");
    await expect(page.getByTestId("import-status").textContent()).resolves.toMatch(
      /Done: [1-9]\d* imported, \d+ matched, \d+ skipped/,
    );
  });

  it("renders the share card as a 1200x630 PNG for the signed-in user only", async () => {
    const png = await fetch(`${app.url}/api/og/twin?token=${encodeURIComponent(await token())}`);
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(pngSize(Buffer.from(await png.arrayBuffer()))).toEqual({ width: 1200, height: 630 });

    const viaHeader = await fetch(`${app.url}/api/og/twin`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(pngSize(Buffer.from(await viaHeader.arrayBuffer()))).toEqual({ width: 1200, height: 630 });

    expect((await fetch(`${app.url}/api/og/twin`)).status).toBe(401);
  });

  it("shows every privacy category with live counts, and downloads the export", async () => {
    await page.getByRole("link", { name: "Privacy" }).click();
    await expect
      .poll(() => page.getByTestId("privacy-count-favorites").textContent(), { timeout: 15_000 })
      .toMatch(/^\d+ favorites · .*\d+ from Letterboxd/);
    for (const c of ["favorites", "connectors", "interests", "behaviour", "location", "discoverable"]) {
      expect(await page.getByTestId(`privacy-toggle-${c}`).isChecked()).toBe(true);
    }
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-data").click()]);
    expect(download.suggestedFilename()).toBe("mesh-discovery-export.json");
    const exported = JSON.parse(readFileSync((await download.path())!, "utf8"));
    const userId = await page.evaluate(() => JSON.parse(sessionStorage.getItem("mesh.session")!).userId as string);
    expect(exported.userId).toBe(userId);
  });

  it("shows the person's recent actions live: an event sent elsewhere appears without a reload", async () => {
    const live = page.getByTestId("privacy-count-behaviour");
    await expect.poll(() => live.textContent(), POLL).toMatch(/^Live: /);
    // The same person acting in another tab or app: a profile opened a minute from now.
    const at = new Date(Date.now() + 60_000);
    const answer = await page.evaluate(
      async ({ bearer, clientTime }) => {
        const res = await fetch("/api/v2/events", {
          method: "POST",
          headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
          body: JSON.stringify({
            events: [
              {
                id: crypto.randomUUID(),
                kind: "open_profile",
                targetType: "person",
                targetId: "elsewhere",
                clientTime,
              },
            ],
          }),
        });
        // As the page renders it, in the browser's own time zone.
        return { status: res.status, shown: new Date(clientTime).toLocaleTimeString("en") };
      },
      { bearer: await token(), clientTime: at.toISOString() },
    );
    expect(answer.status).toBe(202);
    await expect.poll(() => live.textContent(), POLL).toContain(`the last at ${answer.shown}`);
  });

  it("switching favorites off removes taste reasons and shared favorites from the carousel", async () => {
    await page.getByTestId("privacy-toggle-favorites").click();
    await expect
      .poll(() => page.getByTestId("privacy-saved").textContent(), POLL)
      .toMatch(/Favorites and taste is off/);
    await page.getByRole("link", { name: "Discover" }).click();
    await expect
      .poll(async () => (await cards().count()) + (await page.getByTestId("carousel-empty").count()), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    const reasons = await page.getByTestId("candidate-reason").allTextContents();
    expect(reasons.filter((r) => TASTE_REASON.test(r))).toEqual([]);
    expect(await page.getByTestId("shared-favorites").count()).toBe(0);
  });

  it("takes a new person through /welcome once; their first slate uses the hobbies they entered", async () => {
    const { stdout } = await run(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "scripts/token.ts", "--new-user"],
      {
        env: { ...process.env, DATABASE_URL: "", MESH_DATA_DIR: app.dataDir },
      },
    );
    const [userId, accessToken] = stdout.trim().split("\n").at(-1)!.split(" ");
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(
      (session) => sessionStorage.setItem("mesh.session", session),
      JSON.stringify({ userId, token: accessToken }),
    );
    const tab = await context.newPage();
    // The one failed request the test makes on purpose: an unknown city, answered 400.
    let expected400 = 0;
    tab.on("console", (msg) => {
      if (msg.type() !== "error") return;
      if (msg.text().includes("status of 400") && msg.location().url.endsWith("/api/v2/profile") && expected400-- > 0) {
        return;
      }
      problems.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    tab.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    try {
      // Signed in but not onboarded: the carousel offers the welcome.
      await tab.goto(app.url);
      await tab.getByTestId("welcome-prompt").getByRole("link").click();
      await expect.poll(() => tab.getByTestId("welcome").getAttribute("data-step"), POLL).toBe("1");
      await tab.getByTestId("welcome-hobbies").fill("baking, coffee");
      await tab.getByTestId("welcome-goal-friends").check();
      await tab.getByTestId("welcome-next").click();
      await expect.poll(() => tab.getByTestId("welcome").getAttribute("data-step"), POLL).toBe("2");
      // A city no gazetteer knows is refused with the API's own words; a real one is taken.
      await tab.getByTestId("welcome-city").fill("Nowhere Upon Nothing");
      expected400 = 1;
      await tab.getByTestId("welcome-next").click();
      await expect.poll(() => tab.getByTestId("welcome-error").textContent(), POLL).toMatch(/no city called/);
      await tab.getByTestId("welcome-city").fill("Madrid");
      await tab.getByTestId("welcome-next").click();
      await expect.poll(() => tab.getByTestId("welcome").getAttribute("data-step"), POLL).toBe("3");
      await tab.getByTestId("welcome-finish").click();
      await expect.poll(() => tab.url(), PAUSED_POLL).toBe(`${app.url}/`);
      await expect.poll(() => tab.getByTestId("candidate-card").count(), PAUSED_POLL).toBe(10);
      const reasons = await tab.getByTestId("candidate-reason").allTextContents();
      expect(reasons.filter((r) => /^Also into (baking|coffee)$/.test(r)).length, reasons.join(" | ")).toBeGreaterThan(
        0,
      );
      expect(await tab.getByTestId("welcome-prompt").count()).toBe(0);
      // Shown once: coming back to /welcome leads to the carousel.
      await tab.goto(`${app.url}/welcome`);
      await expect.poll(() => tab.url(), POLL).toBe(`${app.url}/`);
    } finally {
      await tab.screenshot({ path: `${SCREENSHOTS}/pages-welcome-tab.png`, fullPage: true }).catch(() => {});
      await context.close();
    }
  });

  it("deletes the discovery data only after the typed confirmation, then signs out", async () => {
    await page.getByRole("link", { name: "Privacy" }).click();
    await page.getByTestId("delete-data").click();
    expect(await page.getByTestId("delete-confirm").isDisabled()).toBe(true);
    await page.getByTestId("delete-confirm-input").fill("DELETE");
    await page.getByTestId("delete-confirm").click();
    await expect.poll(() => page.getByTestId("privacy-deleted").isVisible(), POLL).toBe(true);
    await expect.poll(() => page.getByTestId("demo-sign-in").isVisible(), POLL).toBe(true);
  });
});
