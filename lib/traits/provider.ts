import type { MediaType } from "../media/types";
import type { Traits } from "./schema";

/** One favorite as a traits provider sees it: the title and its public metadata, nothing about the person. */
export interface TraitsTitle {
  title: string;
  mediaType: MediaType;
  year: number | null;
  genres: string[];
  themes: string[];
  mood: string[];
  creators: string[];
  /** How much this favorite counts (rating, recency, likes; see lib/taste/weights.ts). */
  weight: number;
}

export interface TraitsProvider {
  /** Recorded in user_traits.provider, e.g. "rules" or "llm:<model>". */
  readonly name: string;
  traits(favorites: TraitsTitle[]): Promise<Traits>;
}
