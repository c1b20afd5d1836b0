import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { RecommendationsResponse } from "../../api/recommendations";
import { GET as recommend } from "../../app/api/recommendations/route";
import { GET as productsRoute, POST as importRoute } from "../../app/api/v2/products/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { runBatch } from "../../lib/jobs/batch";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { exportUserData } from "../../lib/privacy/export";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { importProductFile } from "../../lib/products/import-file";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

const SECRET = "products-test-secret-of-sufficient-length";
const ANON = "0b9f3c1e-8a7d-4e2f-9c1b-2d3e4f5a6b7c";
type Answer = RecommendationsResponse & { error: { field?: string } };
const NEW_ANON = "1c9f3c1e-8a7d-4e2f-9c1b-2d3e4f5a6b7c";

/** 3 categories of 6 products; c6 is unavailable. */
const catalogue = ["a", "b", "c"]
  .flatMap((cat) => [1, 2, 3, 4, 5, 6].map((n) => ({ id: `${cat}${n}`, cat })))
  .map(({ id, cat }) =>
    JSON.stringify({
      id,
      title: `Product ${id}`,
      category: [cat.toUpperCase(), "Sub"],
      price: 10,
      available: id !== "c6",
    }),
  )
  .join("\n");

/** Who did what: shoppers who buy a1 also buy a2, b1 and c6 (unavailable); nobody touches a6 or b6. */
const histories: Record<string, string[]> = {
  p1: ["a1", "a2", "b1", "c6"],
  p2: ["a1", "a2", "b1", "c1"],
  p3: ["a1", "a2", "b1", "b2"],
  p4: ["a3", "a4", "c2", "c3"],
  p5: ["a3", "a4", "c2", "a5"],
  p6: ["a1", "c6"],
};

describeEachDriver("product recommendations", (ctx) => {
  let restore: () => void;
  const people: Record<string, { id: string; token: string }> = {};

  const get = async (query: string, who?: string) => {
    const res = await recommend(
      new Request(`http://localhost/api/recommendations?${query}`, {
        headers: who ? { authorization: `Bearer ${people[who].token}` } : {},
      }),
    );
    return { status: res.status, body: (await res.json()) as Answer };
  };
  const ids = (body: Answer) => body.products.map((p) => p.id);
  const event = (who: { user?: string; anon?: string }, kind: string, product: string) =>
    ctx.db.query(
      "INSERT INTO events (user_id, anon_id, kind, target_type, target_id) VALUES ($1, $2, $3, 'product', $4)",
      [who.user ?? null, who.anon ?? null, kind, product],
    );
  const runJob = () => runBatch(ctx.db, batchJob("product-recommendations", defaultJobContext()));

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    vi.stubEnv("MESH_PRODUCT_EXPLORATION_RATE", "0"); // lists in model order; one test turns it on
    restore = serveRoutesFrom(ctx.db);
    for (const name of [...Object.keys(histories), "fresh", "staff"]) {
      const id = await createUser(ctx.db, { displayName: name });
      people[name] = { id, token: await signAccessToken(id, name === "staff" ? { roles: ["staff"] } : {}) };
    }
    expect(await importProductFile(ctx.db, catalogue, "jsonl")).toBe(18);
  });
  afterAll(() => restore());

  it("answers 400 / 401 / 403 by the contract, naming the field", async () => {
    expect((await get("limit=5")).body.error.field).toBe("userId");
    expect((await get(`userId=${people.p1.id}`)).status).toBe(401);
    expect((await get(`userId=${people.p1.id}`, "p2")).status).toBe(403);
    const badLimit = await get(`anonId=${ANON}&limit=101`);
    expect([badLimit.status, badLimit.body.error.field]).toEqual([400, "limit"]);
    expect((await get(`anonId=${ANON}&context=product-page`)).body.error.field).toBe("productId");
  });

  it("before any batch or event: popular, never an unavailable product", async () => {
    const res = await get(`anonId=${ANON}&limit=20`);
    expect(res.body.source).toBe("popular");
    expect(res.body.modelVersion).toBeNull();
    expect(ids(res.body)).toHaveLength(17);
    expect(ids(res.body)).not.toContain("c6");
  });

  it("after the daily batch: personal lists, item-to-item on product pages and carts", async () => {
    for (const [name, items] of Object.entries(histories)) {
      for (const item of items) await event({ user: people[name].id }, item === "a1" ? "purchase" : "view", item);
    }
    await runJob();
    const personal = await get(`userId=${people.p4.id}&limit=5`, "p4");
    expect(personal.body.source).toBe("personal");
    expect(personal.body.modelVersion).toMatch(/^products-ease-/);
    expect(ids(personal.body)).toContain("a5");
    for (const seen of histories.p4) expect(ids(personal.body)).not.toContain(seen);

    const page = await get(`anonId=${ANON}&context=product-page&productId=a1&limit=3`);
    expect(page.body.source).toBe("item-to-item");
    expect(ids(page.body)).not.toContain("a1");
    expect(ids(page.body)).not.toContain("c6");
    expect(ids(page.body).slice(0, 2).sort()).toEqual(["a2", "b1"]);

    const cart = await get(`userId=${people.p2.id}&context=cart&cartProductIds=a1,a2&limit=3`, "p2");
    expect(cart.body.source).toBe("item-to-item");
    expect(ids(cart.body)[0]).toBe("b1");
    expect(ids(cart.body)).not.toContain("a2");
  });

  it("a product nobody touched falls back to its category; a visitor's session to session k-NN", async () => {
    const page = await get(`anonId=${ANON}&context=product-page&productId=b6&limit=4`);
    expect(page.body.source).toBe("category");
    expect(ids(page.body).every((id) => id.startsWith("b") && id !== "b6")).toBe(true);

    await event({ anon: ANON }, "view", "a3");
    const session = await get(`anonId=${ANON}&limit=3`);
    expect(session.body.source).toBe("session");
    expect(ids(session.body)).toContain("a4");
    expect(ids(session.body)).not.toContain("a3");

    // Someone the batch has not seen yet, with events since: their session answers.
    await event({ user: people.fresh.id }, "add_to_cart", "a1");
    const fresh = await get(`userId=${people.fresh.id}&limit=3`, "fresh");
    expect(fresh.body.source).toBe("session");
    // Their open cart (added, not bought) drives the cart context without cartProductIds.
    const cart = await get(`userId=${people.fresh.id}&context=cart&limit=3`, "fresh");
    expect([cart.body.source, ids(cart.body).includes("a1")]).toEqual(["item-to-item", false]);
  });

  it("logs what it showed, explores one slot, and credits clicks and purchases per model and context", async () => {
    vi.stubEnv("MESH_PRODUCT_EXPLORATION_RATE", "1");
    try {
      // Counted from here on: the earlier tests' lists are not part of this one's figures.
      await ctx.db.query("DELETE FROM events WHERE kind = 'impression' AND target_type = 'product'");
      // The shopper with the longest daily list (EASE keeps positive scores only).
      const lists = await Promise.all(
        ["p1", "p2", "p4", "p5", "p6"].map(async (name) => ({
          name,
          plain: await get(`userId=${people[name].id}&limit=20`, name),
        })),
      );
      const { name: who, plain } = lists.sort((a, b) => b.plain.body.products.length - a.plain.body.products.length)[0];
      expect(plain.body.products.length).toBeGreaterThanOrEqual(3);
      const explored = await get(`userId=${people[who].id}&limit=2`, who);
      expect(explored.body.source).toBe("personal");
      const [first, second] = explored.body.products;
      // The second slot holds a product ranked beyond the cut, marked and explained as such.
      expect(first.id).toBe(ids(plain.body)[0]);
      expect(second.explored).toBe(true);
      expect(second.reason).toMatch(/different/);
      expect(ids(plain.body).indexOf(second.id)).toBeGreaterThan(1);
      const visitor = await get(`anonId=${NEW_ANON}&limit=3`);
      expect(visitor.body.source).toBe("popular");
      expect(visitor.body.products.filter((p) => p.explored)).toHaveLength(1);

      const logged = await ctx.db.query<{ target_id: string; value: number; payload: Record<string, unknown> }>(
        "SELECT target_id, value, payload FROM events WHERE kind = 'impression' AND target_type = 'product' AND payload ->> 'requestId' = $1 ORDER BY value",
        [explored.body.requestId],
      );
      expect(logged.map((r) => [r.target_id, Number(r.value), r.payload.explored ?? false])).toEqual([
        [first.id, 1, false],
        [second.id, 2, true],
      ]);
      expect(logged[0].payload).toMatchObject({
        context: "homepage",
        source: "personal",
        modelVersion: explored.body.modelVersion,
      });

      // They click the explored product and buy the first; the visitor clicks nothing.
      await event({ user: people[who].id }, "click", second.id);
      await event({ user: people[who].id }, "purchase", first.id);
      await runBatch(ctx.db, batchJob("product-metrics", defaultJobContext()));
      const rows = await ctx.db.query<Record<string, number | string | boolean>>(
        `SELECT source, explored, impressions, clicks, add_to_carts, purchases, ctr, conversion_rate FROM product_metrics
         WHERE context = 'homepage' AND model_version = $1 AND source = 'personal' ORDER BY explored`,
        [explored.body.modelVersion],
      );
      // Not explored: everyone's lists above plus the first slot. The bought product was shown to
      // them twice (both credited as clicked and bought), the clicked one once in their long list.
      const shown = lists.reduce((n, l) => n + l.plain.body.products.length, 0) + 1;
      expect(rows.map((r) => [r.explored, r.impressions, r.clicks, r.purchases])).toEqual([
        [false, shown, 3, 2],
        [true, 1, 1, 0],
      ]);
      expect(Number(rows[1].ctr)).toBe(1);
    } finally {
      vi.stubEnv("MESH_PRODUCT_EXPLORATION_RATE", "0");
    }
  });

  it("recommendations off: popular only, the list deleted, left out of the next training", async () => {
    const exported = await collect(exportUserData(ctx.db, people.p3.id));
    expect(exported.tables.item_recommendations).toHaveLength(1);
    expect(exported.readme.tables.item_recommendations).toMatch(/suggested products/);
    await updatePrivacySettings(ctx.db, people.p3.id, { recommendations: false });
    const res = await get(`userId=${people.p3.id}&limit=3`, "p3");
    expect(res.body.source).toBe("popular");
    await runJob();
    const rows = await ctx.db.query("SELECT 1 FROM item_recommendations WHERE user_id = $1", [people.p3.id]);
    expect(rows).toHaveLength(0);
    const [model] = await ctx.db.query<{ people: number }>("SELECT people FROM item_models WHERE active");
    expect(Number(model.people)).toBe(6); // p1, p2, p4, p5, p6 and fresh; not p3
  });

  it("the shop page reads products by id without a token, in the order asked", async () => {
    const read = async (query: string) => {
      const res = await productsRoute(new Request(`http://localhost/api/v2/products?${query}`));
      return { status: res.status, body: await res.json() };
    };
    const found = await read("ids=b2,nope,a1");
    expect(found.status).toBe(200);
    expect(found.body.products).toEqual([
      { id: "b2", title: "Product b2", category: ["B", "Sub"], price: 10, available: true },
      { id: "a1", title: "Product a1", category: ["A", "Sub"], price: 10, available: true },
    ]);
    const none = await read("ids=");
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe("ids");
  });

  it("staff import products through the admin route; others may not", async () => {
    const post = (who: string) =>
      importRoute(
        new Request("http://localhost/api/v2/products", {
          method: "POST",
          headers: { authorization: `Bearer ${people[who].token}`, "content-type": "application/json" },
          body: JSON.stringify({ products: [{ id: "a1", title: "Renamed", available: false }] }),
        }),
      );
    expect((await post("p1")).status).toBe(403);
    expect(await (await post("staff")).json()).toEqual({ written: 1 });
    const page = await get(`anonId=${NEW_ANON}&context=product-page&productId=a2&limit=5`);
    expect(ids(page.body)).not.toContain("a1");
  });
});

interface Exported {
  tables: Record<string, unknown[]>;
  readme: { tables: Record<string, string> };
}

async function collect(gen: AsyncGenerator<string>): Promise<Exported> {
  let text = "";
  for await (const part of gen) text += part;
  return JSON.parse(text) as Exported;
}
