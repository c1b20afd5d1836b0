import type { Queryable } from "../db/types";
import type { CanonicalMedia } from "../media/types";

/** Title embeddings are 768-d (canonical_media.embedding vector(768)). */
export const TITLE_EMBEDDING_DIMS = 768;

/** What a provider needs to embed a title: the catalogue row without its id-only fields. */
export type EmbeddableTitle = Pick<CanonicalMedia, "id" | "mediaType" | "title" | "year" | "metadata">;

/** Turns titles into unit-length 768-d vectors, in the order given. */
export interface EmbeddingProvider {
  /** Short name recorded with the results, e.g. "offline-metadata-v1" or "openai:<model>". */
  readonly name: string;
  /** `db` is the caller's connection or transaction, for providers that keep a cache. */
  embed(titles: EmbeddableTitle[], db?: Queryable): Promise<number[][]>;
}
