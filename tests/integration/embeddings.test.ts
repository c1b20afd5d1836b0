import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cosine, embedTokens } from "../../lib/embeddings/hashed-directions";
import { OfflineEmbeddingProvider } from "../../lib/embeddings/offline";
import { OpenAiEmbeddingProvider } from "../../lib/embeddings/openai";
import type { EmbeddableTitle } from "../../lib/embeddings/provider";
import { runBatch } from "../../lib/jobs/batch";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { describeEachDriver } from "../helpers/drivers";
import { startFakeServer } from "../helpers/fake-server";

function film(id: string, genres: string[], creators: string[], extra: Partial<EmbeddableTitle["metadata"]> = {}) {
  return {
    id: `local:${id}`,
    mediaType: "film" as const,
    title: id,
    year: 1999,
    metadata: { genres, themes: [], mood: [], creators, ...extra },
  };
}

describe("offline title embeddings", () => {
  it("puts titles sharing genres and creators close, unrelated ones apart, deterministically", async () => {
    const provider = new OfflineEmbeddingProvider();
    const [a, b, c, d] = await provider.embed([
      film("a", ["science fiction", "thriller"], ["Kira Brandt"], { mood: ["cerebral"] }),
      film("b", ["science fiction"], ["Kira Brandt"], { mood: ["cerebral"] }),
      film("c", ["romance", "comedy"], ["Hugo Garza"], { mood: ["warm"] }),
      film("d", ["science fiction"], ["Ana Dubois"]),
    ]);
    expect(a).toHaveLength(768);
    expect(Math.hypot(...a)).toBeCloseTo(1, 6);
    expect(cosine(a, b)).toBeGreaterThan(0.6);
    expect(cosine(a, c)).toBeLessThan(0.3);
    expect(cosine(a, d)).toBeGreaterThan(cosine(a, c));
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, d));
    const [again] = await new OfflineEmbeddingProvider().embed([
      film("a", ["science fiction", "thriller"], ["Kira Brandt"], { mood: ["cerebral"] }),
    ]);
    expect(again).toEqual(a);
  });
});

describeEachDriver("title embeddings job and the OpenAI-compatible provider", (ctx) => {
  let server: Awaited<ReturnType<typeof startFakeServer>>;
  const inputs: string[][] = [];
  let throttleNext = true;

  beforeAll(async () => {
    for (let i = 0; i < 20; i++) {
      await ctx.db.query(
        `INSERT INTO canonical_media (id, media_type, title, year, metadata) VALUES ($1, 'book', $2, 2010, $3::text::jsonb)`,
        [
          `local:e${String(i).padStart(2, "0")}`,
          `Book ${i}`,
          JSON.stringify({ genres: [i % 2 ? "horror" : "romance"] }),
        ],
      );
    }
    server = await startFakeServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        if (throttleNext) {
          throttleNext = false;
          res.writeHead(429, { "content-type": "application/json", "retry-after": "0" });
          res.end('{"error":{"message":"slow down"}}');
          return;
        }
        const body = JSON.parse(raw) as { input: string[]; dimensions: number };
        inputs.push(body.input);
        const data = body.input.map((text, index) => ({
          object: "embedding",
          index,
          embedding: embedTokens(
            text.split(/\W+/).map((token) => ({ token, weight: 1 })),
            body.dimensions,
            "fake",
          )!,
        }));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ object: "list", data, model: "fake-embed", usage: { prompt_tokens: 10, total_tokens: 10 } }),
        );
      });
    });
  });
  afterAll(() => server.close());

  it("fills missing embeddings in batches through the fake service, retrying a 429", async () => {
    const provider = new OpenAiEmbeddingProvider({
      url: `${server.url}/v1`,
      model: "fake-embed",
      batchSize: 8,
      baseDelayMs: 1,
    });
    const outcome = await runBatch(ctx.db, {
      ...batchJob("embeddings", defaultJobContext({ embeddings: provider })),
      chunkSize: 50,
    });
    expect(outcome.status).toBe("done");
    const [row] = await ctx.db.query<{ missing: number }>(
      `SELECT count(*) FILTER (WHERE embedding IS NULL)::int AS missing FROM canonical_media WHERE id LIKE 'local:e%'`,
    );
    expect(row.missing).toBe(0);
    expect(inputs.map((batch) => batch.length)).toEqual([8, 8, 4]);
    expect(server.requests.filter((r) => r === "POST /v1/embeddings")).toHaveLength(4); // one 429 retried
    expect(inputs[0][0]).toContain("Genres: romance");
  });

  it("never embeds the same text twice: a re-run is served from the content-hash cache", async () => {
    await ctx.db.query(`UPDATE canonical_media SET embedding = NULL WHERE id LIKE 'local:e%'`);
    const provider = new OpenAiEmbeddingProvider({ url: `${server.url}/v1`, model: "fake-embed", batchSize: 8 });
    const before = inputs.length;
    await runBatch(ctx.db, batchJob("embeddings", defaultJobContext({ embeddings: provider })));
    expect(inputs.length).toBe(before);
    expect(provider.stats.hits / (provider.stats.hits + provider.stats.misses)).toBeGreaterThanOrEqual(0.95);
    const [row] = await ctx.db.query<{ missing: number }>(
      `SELECT count(*) FILTER (WHERE embedding IS NULL)::int AS missing FROM canonical_media`,
    );
    expect(row.missing).toBe(0);
  });
});
