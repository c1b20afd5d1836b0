import type { Reason } from "./types";

export interface TwinFacts {
  displayName: string;
  reasons: Reason[];
  sharedTitles: string[];
}

/** The first word of a display name: the share card never shows more of another person's name. */
export function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] || displayName;
}

/**
 * What the viewer and their top match have in common, most specific first: a shared title the
 * ranker quoted, a shared trait, any shared title; null when nothing specific is known.
 */
export function sharedLove(facts: TwinFacts): string | null {
  const title = facts.reasons.find((r) => r.kind === "shared_favorite");
  if (title && title.kind === "shared_favorite") return title.title;
  const trait = facts.reasons.find((r) => r.kind === "shared_trait");
  if (trait && trait.kind === "shared_trait") return trait.trait;
  return facts.sharedTitles[0] ?? null;
}

/** The share card's two lines, e.g. "Your cultural twin is Alex" / "because you both love Drive". */
export function twinCaption(facts: TwinFacts | null): { headline: string; because: string } {
  if (!facts) return { headline: "Your cultural twin is out there", because: "add favorites to meet them" };
  const love = sharedLove(facts);
  return {
    headline: `Your cultural twin is ${firstName(facts.displayName)}`,
    because: love ? `because you both love ${love}` : "because you share a taste in films, books and music",
  };
}
