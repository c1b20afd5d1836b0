import { eraOf } from "../media/types";
import { embedTokens, type WeightedToken } from "./hashed-directions";
import { TITLE_EMBEDDING_DIMS, type EmbeddableTitle, type EmbeddingProvider } from "./provider";

/**
 * Feature weights: creators and genres say most about taste, themes and mood refine it, era and
 * media type only nudge. A small per-title token keeps two titles with identical tags from
 * collapsing onto one point (so PCA still sees them as distinct).
 */
export const OFFLINE_WEIGHTS = {
  genre: 1.0,
  creator: 1.0,
  theme: 0.7,
  mood: 0.7,
  era: 0.3,
  mediaType: 0.4,
  title: 0.2,
} as const;

const NAMESPACE = "title-v1";

function tag(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, " ");
}

/** A list's weight is shared among its items so a title with ten genres is not ten times louder. */
function listTokens(kind: keyof typeof OFFLINE_WEIGHTS, values: string[]): WeightedToken[] {
  const unique = [...new Set(values.map(tag).filter(Boolean))];
  const each = unique.length ? OFFLINE_WEIGHTS[kind] / Math.sqrt(unique.length) : 0;
  return unique.map((v) => ({ token: `${kind}:${v}`, weight: each }));
}

export function titleTokens(t: EmbeddableTitle): WeightedToken[] {
  const m = t.metadata;
  const era = m.era ?? eraOf(t.year);
  return [
    ...listTokens("genre", m.genres ?? []),
    ...listTokens("creator", m.creators ?? []),
    ...listTokens("theme", m.themes ?? []),
    ...listTokens("mood", m.mood ?? []),
    ...(era ? [{ token: `era:${tag(era)}`, weight: OFFLINE_WEIGHTS.era }] : []),
    { token: `type:${t.mediaType}`, weight: OFFLINE_WEIGHTS.mediaType },
    { token: `title:${t.id}`, weight: OFFLINE_WEIGHTS.title },
  ];
}

/**
 * The default provider: deterministic, offline, no model weights. A title is the normalised,
 * weighted sum of fixed pseudo-random directions of its metadata tags, so titles sharing genres
 * and creators are close, and the same title always gets the same vector.
 */
export class OfflineEmbeddingProvider implements EmbeddingProvider {
  readonly name = "offline-metadata-v1";

  async embed(titles: EmbeddableTitle[]): Promise<number[][]> {
    return titles.map((t) => embedTokens(titleTokens(t), TITLE_EMBEDDING_DIMS, NAMESPACE)!);
  }
}
