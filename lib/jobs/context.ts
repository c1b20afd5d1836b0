import { OfflineEmbeddingProvider } from "../embeddings/offline";
import { openAiEmbeddingProviderFromEnv } from "../embeddings/openai";
import type { EmbeddingProvider } from "../embeddings/provider";
import { chatTraitsProviderFromEnv } from "../traits/llm";
import type { TraitsProvider } from "../traits/provider";
import { RuleTraitsProvider } from "../traits/rules";

/** What jobs need from outside: providers and a clock (tests pin all of them). */
export interface JobContext {
  embeddings: EmbeddingProvider;
  traits: TraitsProvider;
  now: () => Date;
}

/** Offline providers and the real clock: the embedded mode and tests. */
export function defaultJobContext(overrides: Partial<JobContext> = {}): JobContext {
  return {
    embeddings: new OfflineEmbeddingProvider(),
    traits: new RuleTraitsProvider(),
    now: () => new Date(),
    ...overrides,
  };
}

/** Providers chosen by the environment (EMBEDDINGS_*, TRAITS_LLM_* set: remote), offline otherwise. */
export function configuredJobContext(): JobContext {
  return defaultJobContext({
    embeddings: openAiEmbeddingProviderFromEnv() ?? new OfflineEmbeddingProvider(),
    traits: chatTraitsProviderFromEnv() ?? new RuleTraitsProvider(),
  });
}
