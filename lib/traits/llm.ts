import { endpoint, postJson } from "../embeddings/openai-http";
import type { TraitsProvider, TraitsTitle } from "./provider";
import { traitsJsonSchema, traitsSchema, type Traits } from "./schema";

export class TraitsRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TraitsRejectedError";
  }
}

interface ChatResponse {
  choices: { message: { content: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

export interface ChatTraitsOptions {
  url: string;
  model: string;
  apiKey?: string;
  /** Prices in USD per million tokens, for the cost line; 0 logs tokens only. */
  usdPerMillionInput?: number;
  usdPerMillionOutput?: number;
  baseDelayMs?: number;
}

export interface LlmUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  usd: number;
}

const SYSTEM = [
  "You describe a person's taste in films, books and music from a list of their favorite titles.",
  "Answer with one JSON object only, matching this JSON Schema:",
  JSON.stringify(traitsJsonSchema),
  "descriptors: 1-6 short phrases such as 'cerebral sci-fi' or 'cosy mysteries' with weights 0-1;",
  "genres, themes, moods: the leading tags with their weighted shares; mediaMix: shares of film, book, music.",
].join("\n");

/** The prompt's user message: titles and public metadata only, never who the person is. */
export function traitsPrompt(favorites: TraitsTitle[]): string {
  const lines = favorites.map((f) =>
    JSON.stringify({
      title: f.title,
      type: f.mediaType,
      year: f.year,
      genres: f.genres,
      themes: f.themes,
      mood: f.mood,
      creators: f.creators,
      weight: Math.round(f.weight * 100) / 100,
    }),
  );
  return `Favorites, most important first:\n${lines.join("\n")}`;
}

function parseTraits(content: string | null | undefined): { traits?: Traits; problem?: string } {
  try {
    const parsed = traitsSchema.safeParse(JSON.parse(content ?? ""));
    if (parsed.success) return { traits: parsed.data };
    const issue = parsed.error.issues[0];
    return { problem: `${issue.path.join(".") || "(root)"}: ${issue.message}` };
  } catch {
    return { problem: "the answer was not JSON" };
  }
}

/**
 * Traits from an OpenAI-compatible chat API (TRAITS_LLM_URL, TRAITS_LLM_API_KEY, TRAITS_LLM_MODEL).
 * The answer must validate against the Traits schema; an invalid one is retried once with the
 * problem named, then rejected. Usage is accumulated so a batch can log its cost.
 */
export class ChatTraitsProvider implements TraitsProvider {
  readonly name: string;
  readonly usage: LlmUsage = { calls: 0, promptTokens: 0, completionTokens: 0, usd: 0 };

  constructor(private readonly options: ChatTraitsOptions) {
    this.name = `llm:${options.model}`;
  }

  private async ask(messages: { role: string; content: string }[]): Promise<string | null> {
    const res = await postJson<ChatResponse>(
      endpoint(this.options.url, "chat/completions"),
      {
        model: this.options.model,
        messages,
        temperature: 0,
        response_format: {
          type: "json_schema",
          json_schema: { name: "traits", schema: traitsJsonSchema, strict: false },
        },
      },
      { service: "llm", apiKey: this.options.apiKey, baseDelayMs: this.options.baseDelayMs },
    );
    const prompt = res.usage?.prompt_tokens ?? 0;
    const completion = res.usage?.completion_tokens ?? 0;
    this.usage.calls++;
    this.usage.promptTokens += prompt;
    this.usage.completionTokens += completion;
    this.usage.usd +=
      (prompt * (this.options.usdPerMillionInput ?? 0) + completion * (this.options.usdPerMillionOutput ?? 0)) / 1e6;
    return res.choices?.[0]?.message?.content ?? null;
  }

  async traits(favorites: TraitsTitle[]): Promise<Traits> {
    const messages = [
      { role: "system", content: SYSTEM },
      { role: "user", content: traitsPrompt(favorites) },
    ];
    const first = await this.ask(messages);
    const firstTry = parseTraits(first);
    if (firstTry.traits) return firstTry.traits;
    const second = await this.ask([
      ...messages,
      { role: "assistant", content: first ?? "" },
      { role: "user", content: `That answer is invalid (${firstTry.problem}). Reply with the JSON object only.` },
    ]);
    const secondTry = parseTraits(second);
    if (secondTry.traits) return secondTry.traits;
    throw new TraitsRejectedError(`LLM traits rejected after a retry: ${secondTry.problem}`);
  }

  /** One log line with the run's cost: model, calls and tokens; nothing about any user. */
  logCost(label = "traits"): void {
    const u = this.usage;
    console.log(
      `[mesh] ${label} llm ${this.options.model}: ${u.calls} calls, ${u.promptTokens} prompt + ${u.completionTokens} completion tokens, cost $${u.usd.toFixed(4)}`,
    );
  }
}

/** The chat provider when TRAITS_LLM_URL and TRAITS_LLM_MODEL are set, else null. */
export function chatTraitsProviderFromEnv(env = process.env): ChatTraitsProvider | null {
  if (!env.TRAITS_LLM_URL || !env.TRAITS_LLM_MODEL) return null;
  return new ChatTraitsProvider({
    url: env.TRAITS_LLM_URL,
    model: env.TRAITS_LLM_MODEL,
    apiKey: env.TRAITS_LLM_API_KEY,
    usdPerMillionInput: Number(env.TRAITS_LLM_USD_PER_MTOK_INPUT ?? 0) || 0,
    usdPerMillionOutput: Number(env.TRAITS_LLM_USD_PER_MTOK_OUTPUT ?? 0) || 0,
  });
}
