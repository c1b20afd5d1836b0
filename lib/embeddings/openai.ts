import { createHash } from "node:crypto";
import type { Queryable } from "../db/types";
import { fromVectorColumn, toVectorParam } from "../db/vector";
import { eraOf } from "../media/types";
import { normalise } from "./hashed-directions";
import { endpoint, postJson } from "./openai-http";
import { TITLE_EMBEDDING_DIMS, type EmbeddableTitle, type EmbeddingProvider } from "./provider";

interface EmbeddingsResponse {
  data: { index: number; embedding: number[] }[];
}

export interface OpenAiEmbeddingsOptions {
  url: string;
  model: string;
  apiKey?: string;
  /** Texts per request. */
  batchSize?: number;
  baseDelayMs?: number;
}

/** The text embedded for a title: its name and public metadata (what makes titles alike). */
export function titleText(t: EmbeddableTitle): string {
  const m = t.metadata;
  const parts = [
    `${t.title} (${t.mediaType}${t.year ? `, ${t.year}` : ""})`,
    m.genres.length ? `Genres: ${m.genres.join(", ")}` : "",
    m.themes.length ? `Themes: ${m.themes.join(", ")}` : "",
    m.mood.length ? `Mood: ${m.mood.join(", ")}` : "",
    m.creators.length ? `By: ${m.creators.join(", ")}` : "",
    (m.era ?? eraOf(t.year)) ? `Era: ${m.era ?? eraOf(t.year)}` : "",
  ];
  return parts.filter(Boolean).join(". ");
}

/**
 * Embeddings from an OpenAI-compatible /embeddings endpoint (EMBEDDINGS_URL, EMBEDDINGS_API_KEY,
 * EMBEDDINGS_MODEL), 768 dimensions, batched, retried with back-off. Every result is cached in
 * embedding_cache by model and content hash, so a text is never embedded twice.
 */
export class OpenAiEmbeddingProvider implements EmbeddingProvider {
  readonly name: string;
  readonly stats = { hits: 0, misses: 0, requests: 0 };

  constructor(private readonly options: OpenAiEmbeddingsOptions) {
    this.name = `openai:${options.model}`;
  }

  async embed(titles: EmbeddableTitle[], db?: Queryable): Promise<number[][]> {
    const texts = titles.map(titleText);
    const hashes = texts.map((t) => createHash("sha256").update(t).digest("hex"));
    const found = new Map<string, number[]>();
    if (db && hashes.length) {
      const rows = await db.query<{ content_hash: string; embedding: string }>(
        `SELECT content_hash, embedding::text AS embedding FROM embedding_cache WHERE model = $1 AND content_hash = ANY($2::text[])`,
        [this.options.model, [...new Set(hashes)]],
      );
      for (const r of rows) found.set(r.content_hash, fromVectorColumn(r.embedding));
    }
    const missing = [...new Set(hashes.filter((h) => !found.has(h)))];
    this.stats.hits += hashes.length - hashes.filter((h) => !found.has(h)).length;
    this.stats.misses += missing.length;
    const textOf = new Map(hashes.map((h, i) => [h, texts[i]]));
    const batchSize = this.options.batchSize ?? 64;
    for (let i = 0; i < missing.length; i += batchSize) {
      const batch = missing.slice(i, i + batchSize);
      this.stats.requests++;
      const res = await postJson<EmbeddingsResponse>(
        endpoint(this.options.url, "embeddings"),
        { model: this.options.model, input: batch.map((h) => textOf.get(h)!), dimensions: TITLE_EMBEDDING_DIMS },
        { service: "embeddings", apiKey: this.options.apiKey, baseDelayMs: this.options.baseDelayMs },
      );
      if (!Array.isArray(res.data) || res.data.length !== batch.length) {
        throw new Error(`embeddings: expected ${batch.length} vectors, got ${res.data?.length ?? "none"}`);
      }
      const fresh: { hash: string; v: number[] }[] = [];
      for (const item of res.data) {
        const v = item.embedding;
        if (!Array.isArray(v) || v.length !== TITLE_EMBEDDING_DIMS) {
          throw new Error(`embeddings: expected ${TITLE_EMBEDDING_DIMS} dimensions, got ${v?.length ?? "none"}`);
        }
        const unit = normalise(v);
        if (!unit) throw new Error("embeddings: the service returned a zero vector");
        fresh.push({ hash: batch[item.index], v: unit });
        found.set(batch[item.index], unit);
      }
      if (db) {
        await db.query(
          `INSERT INTO embedding_cache (model, content_hash, embedding)
           SELECT $1, h, e::vector FROM unnest($2::text[], $3::text[]) AS t(h, e) ON CONFLICT DO NOTHING`,
          [this.options.model, fresh.map((f) => f.hash), fresh.map((f) => toVectorParam(f.v))],
        );
      }
    }
    return hashes.map((h) => found.get(h)!);
  }
}

/** The OpenAI-compatible provider when EMBEDDINGS_URL and EMBEDDINGS_MODEL are set, else null. */
export function openAiEmbeddingProviderFromEnv(env = process.env): OpenAiEmbeddingProvider | null {
  if (!env.EMBEDDINGS_URL || !env.EMBEDDINGS_MODEL) return null;
  return new OpenAiEmbeddingProvider({
    url: env.EMBEDDINGS_URL,
    model: env.EMBEDDINGS_MODEL,
    apiKey: env.EMBEDDINGS_API_KEY,
  });
}
