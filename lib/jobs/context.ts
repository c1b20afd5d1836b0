import type { EmbeddingProvider } from "../embeddings/provider";
import type { TraitsProvider } from "../traits/provider";

/**
 * What jobs need from outside: providers and a clock (tests pin all of them). A type only: the
 * queue knows no domain; lib/job-registry/job-context.ts builds one from the environment.
 */
export interface JobContext {
  embeddings: EmbeddingProvider;
  traits: TraitsProvider;
  now: () => Date;
}
