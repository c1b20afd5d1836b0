import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Queryable } from "../../lib/db/types";
import { computeTraits } from "../../lib/traits/compute";
import { ChatTraitsProvider, TraitsRejectedError } from "../../lib/traits/llm";
import type { TraitsTitle } from "../../lib/traits/provider";
import { RuleTraitsProvider } from "../../lib/traits/rules";
import { TRAITS_MAX_BYTES, traitsJsonSchema, traitsSchema, type Traits } from "../../lib/traits/schema";
import { describeEachDriver } from "../helpers/drivers";
import { startFakeServer } from "../helpers/fake-server";

const NOW = new Date("2026-11-25T12:00:00Z");

function title(t: Partial<TraitsTitle> & { title: string }): TraitsTitle {
  return { mediaType: "film", year: 2015, genres: [], themes: [], mood: [], creators: [], weight: 1, ...t };
}

const SCIFI = [
  title({ title: "Orbit Rising", genres: ["science fiction"], themes: ["space"], mood: ["cerebral", "tense"] }),
  title({ title: "The Android", genres: ["science fiction", "thriller"], themes: ["identity"], mood: ["cerebral"] }),
  title({
    title: "Signal Lost",
    mediaType: "book",
    genres: ["science fiction"],
    themes: ["time"],
    mood: ["melancholic"],
  }),
  title({ title: "Teacup Inn", genres: ["mystery"], themes: ["detective"], mood: ["cosy"], weight: 0.3 }),
];

const VALID: Traits = {
  version: 1,
  descriptors: [{ label: "cerebral sci-fi", weight: 0.8 }],
  genres: [{ label: "science fiction", weight: 0.7 }],
  themes: [{ label: "space", weight: 0.4 }],
  moods: [{ label: "cerebral", weight: 0.6 }],
  mediaMix: { film: 0.7, book: 0.3, music: 0 },
};

function chatAnswer(content: string) {
  return JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 400, completion_tokens: 100, total_tokens: 500 },
  });
}

/** A fake OpenAI-compatible chat server answering from a script of (status, body) steps. */
async function fakeChat(script: { status: number; body: string; headers?: Record<string, string> }[]) {
  const bodies: string[] = [];
  const auth: (string | undefined)[] = [];
  let i = 0;
  const server = await startFakeServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      bodies.push(raw);
      auth.push(req.headers.authorization);
      const step = script[Math.min(i++, script.length - 1)];
      res.writeHead(step.status, { "content-type": "application/json", ...step.headers });
      res.end(step.body);
    });
  });
  return { ...server, bodies, auth };
}

describe("traits providers", () => {
  afterEach(() => vi.restoreAllMocks());

  it("rules: descriptors from genre and mood distributions, valid and small", async () => {
    const traits = await new RuleTraitsProvider().traits(SCIFI);
    expect(traits.descriptors[0]).toEqual({ label: "cerebral sci-fi", weight: expect.any(Number) });
    expect(traits.descriptors[0].weight).toBeGreaterThan(0.5);
    expect(traits.descriptors.map((d) => d.label)).toContain("cosy mystery");
    expect(traits.mediaMix.book).toBeGreaterThan(0);
    expect(traitsSchema.parse(traits)).toEqual(traits);
    expect(Buffer.byteLength(JSON.stringify(traits))).toBeLessThanOrEqual(TRAITS_MAX_BYTES);
  });

  it("schema: the JSON Schema says what the zod schema says", () => {
    expect(traitsJsonSchema).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: expect.arrayContaining(["version", "descriptors", "genres", "themes", "moods", "mediaMix"]),
      properties: { descriptors: { type: "array", minItems: 1, maxItems: 6 } },
    });
    expect(traitsSchema.safeParse({ ...VALID, extra: 1 }).success).toBe(false);
    expect(traitsSchema.safeParse({ ...VALID, descriptors: [] }).success).toBe(false);
  });

  it("llm: retries once on invalid JSON, then accepts a valid answer and logs the cost", async () => {
    const server = await fakeChat([
      { status: 200, body: chatAnswer("Sure! Here are the traits: {") },
      { status: 200, body: chatAnswer(JSON.stringify(VALID)) },
    ]);
    try {
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      const provider = new ChatTraitsProvider({
        url: `${server.url}/v1`,
        model: "tiny-model",
        apiKey: "sk-test",
        usdPerMillionInput: 1,
        usdPerMillionOutput: 2,
      });
      expect(await provider.traits(SCIFI)).toEqual(VALID);
      expect(server.requests).toEqual(["POST /v1/chat/completions", "POST /v1/chat/completions"]);
      expect(server.auth[0]).toBe("Bearer sk-test");
      const retry = JSON.parse(server.bodies[1]);
      expect(retry.messages.at(-1).content).toContain("not JSON");
      expect(provider.usage).toEqual({ calls: 2, promptTokens: 800, completionTokens: 200, usd: 0.0012 });
      provider.logCost();
      expect(log.mock.calls[0][0]).toContain("2 calls, 800 prompt + 200 completion tokens, cost $0.0012");
    } finally {
      await server.close();
    }
  });

  it("llm: rejects after a retry when the answer never validates", async () => {
    const invalid = JSON.stringify({ ...VALID, descriptors: [{ label: "x".repeat(500), weight: 3 }] });
    const server = await fakeChat([{ status: 200, body: chatAnswer(invalid) }]);
    try {
      const provider = new ChatTraitsProvider({ url: server.url, model: "tiny-model" });
      await expect(provider.traits(SCIFI)).rejects.toBeInstanceOf(TraitsRejectedError);
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it("llm: waits out a 429 with Retry-After and a 500, then succeeds", async () => {
    const server = await fakeChat([
      { status: 429, body: '{"error":{"message":"rate limited"}}', headers: { "retry-after": "0" } },
      { status: 500, body: '{"error":{"message":"oops"}}' },
      { status: 200, body: chatAnswer(JSON.stringify(VALID)) },
    ]);
    try {
      const provider = new ChatTraitsProvider({ url: server.url, model: "tiny-model", baseDelayMs: 1 });
      expect(await provider.traits(SCIFI)).toEqual(VALID);
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});

async function userWithFavorites(db: Queryable, n: number): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(`INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES ($1, $2, $3::text::jsonb)`, [
    id,
    `zelda.quill.${id.slice(0, 6)}@example.org`,
    JSON.stringify({ display_name: "Zelda Quill" }),
  ]);
  await db.query(`UPDATE profiles SET display_name = 'Zelda Quill' WHERE user_id = $1`, [id]);
  for (let i = 0; i < n; i++) {
    const mediaId = `local:traits-${id.slice(0, 8)}-${i}`;
    await db.query(
      `INSERT INTO canonical_media (id, media_type, title, year, metadata) VALUES ($1, 'film', $2, 2001, $3::text::jsonb)`,
      [
        mediaId,
        `Quantum Echo ${i}`,
        JSON.stringify({
          genres: ["science fiction"],
          mood: ["cerebral"],
          themes: ["time"],
          creators: ["Kira Brandt"],
        }),
      ],
    );
    await db.query(
      `INSERT INTO favorite_items (user_id, media_id, source, rating, added_at) VALUES ($1, $2, 'manual', 4.5, $3)`,
      [id, mediaId, NOW],
    );
  }
  return id;
}

describeEachDriver("traits stored per user", (ctx) => {
  let server: Awaited<ReturnType<typeof fakeChat>>;
  beforeAll(async () => {
    server = await fakeChat([{ status: 200, body: chatAnswer(JSON.stringify(VALID)) }]);
  });
  afterAll(() => server.close());

  it("stores the LLM's validated traits; the prompt carries titles, never the person", async () => {
    const userId = await userWithFavorites(ctx.db, 20);
    const provider = new ChatTraitsProvider({ url: server.url, model: "tiny-model" });
    expect(await computeTraits(ctx.db, provider, [userId], { now: NOW })).toMatchObject({ written: 1 });
    const [row] = await ctx.db.query<{ traits: Traits; provider: string }>(
      `SELECT traits, provider FROM user_traits WHERE user_id = $1`,
      [userId],
    );
    expect(row).toEqual({ traits: VALID, provider: "llm:tiny-model" });
    const prompt = server.bodies.at(-1)!;
    expect(prompt).toContain("Quantum Echo");
    for (const secret of ["Zelda", "Quill", "example.org", userId, userId.slice(0, 8)])
      expect(prompt).not.toContain(secret);
    // Top 15 favorites only.
    expect(JSON.parse(prompt).messages[1].content.split("\n").length).toBe(1 + 15);
  });

  it("recomputes only when due: a week old, or favorites changed by more than 10%", async () => {
    const userId = await userWithFavorites(ctx.db, 20);
    const rules = new RuleTraitsProvider();
    expect(await computeTraits(ctx.db, rules, [userId], { now: NOW })).toMatchObject({ written: 1 });
    expect(await computeTraits(ctx.db, rules, [userId], { now: NOW })).toMatchObject({ written: 0, skipped: 1 });
    // One favorite of twenty removed (5%): not due. Three (15%): due.
    const ids = (
      await ctx.db.query<{ media_id: string }>(
        `SELECT media_id FROM favorite_items WHERE user_id = $1 ORDER BY media_id`,
        [userId],
      )
    ).map((r) => r.media_id);
    await ctx.db.query(`DELETE FROM favorite_items WHERE user_id = $1 AND media_id = $2`, [userId, ids[0]]);
    expect(await computeTraits(ctx.db, rules, [userId], { now: NOW })).toMatchObject({ written: 0 });
    await ctx.db.query(`DELETE FROM favorite_items WHERE user_id = $1 AND media_id = ANY($2::text[])`, [
      userId,
      ids.slice(1, 3),
    ]);
    expect(await computeTraits(ctx.db, rules, [userId], { now: NOW })).toMatchObject({ written: 1 });
    const weekLater = new Date(NOW.getTime() + 7 * 86_400_000);
    expect(await computeTraits(ctx.db, rules, [userId], { now: weekLater })).toMatchObject({ written: 1 });
    // Favorites switched off: the traits go.
    await ctx.db.query(`INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, 'favorites', false)`, [
      userId,
    ]);
    expect(await computeTraits(ctx.db, rules, [userId], { now: weekLater })).toMatchObject({ cleared: 1 });
  });
});
