import type { FetchedMetadata, MediaRecord, MetadataProvider } from "./fetchers/types";
import { eraOf } from "./types";

type Metadata = MediaRecord["metadata"];

function union(kept: unknown, added: string[], key: (s: string) => string): string[] {
  const out = Array.isArray(kept) ? kept.filter((v): v is string => typeof v === "string") : [];
  const seen = new Set(out.map(key));
  for (const value of added) {
    if (!seen.has(key(value))) {
      seen.add(key(value));
      out.push(value);
    }
  }
  return out;
}

/**
 * A record's metadata with a service's answer folded in: what the import carried stays (its
 * genres first, its era, its ISRC), the service's genres, themes and creators are added, and
 * `source` names the service.
 */
export function mergeFetchedMetadata(
  existing: Metadata,
  fetched: FetchedMetadata,
  provider: MetadataProvider,
  year: number | null,
): Metadata {
  const lower = (s: string) => s.toLowerCase();
  const merged: Metadata = {
    ...existing,
    genres: union(existing.genres, fetched.genres, lower),
    themes: union(existing.themes, fetched.themes, lower),
    creators: union(existing.creators, fetched.creators, lower),
    source: provider,
  };
  if (!merged.era) {
    const era = eraOf(year ?? fetched.year);
    if (era) merged.era = era;
  }
  return merged;
}

/** True when the parts a title's embedding is built from differ (so it must be embedded again). */
export function embeddedPartsChanged(before: Metadata, after: Metadata): boolean {
  const parts = (m: Metadata) =>
    JSON.stringify([m.genres ?? [], m.themes ?? [], m.mood ?? [], m.creators ?? [], m.era]);
  return parts(before) !== parts(after);
}
