import { OfflineEmbeddingProvider } from "../embeddings/offline";
import { openAiEmbeddingProviderFromEnv } from "../embeddings/openai";
import type { JobContext } from "../jobs/context";
import { chatTraitsProviderFromEnv } from "../traits/llm";
import { RuleTraitsProvider } from "../traits/rules";

export type { JobContext } from "../jobs/context";

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
