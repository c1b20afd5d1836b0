/** Plain data passed between the discovery stages (each stage is a function over these). */

export type { Locale } from "../i18n/locales";
import type { Locale } from "../i18n/locales";

/** How a candidate entered the pool. */
export type Source = "taste" | "profile" | "popular" | "nearby" | "direct";

/** A descriptor from a user's cached Traits JSON (e.g. "cerebral sci-fi", weight 0.6). */
export interface Trait {
  label: string;
  weight: number;
}

/** Which of a user's signal categories may be used (privacy_settings; a missing row means on). */
export interface SignalPermissions {
  favorites: boolean;
  interests: boolean;
  behaviour: boolean;
  location: boolean;
}

/** What the pipeline knows about the viewer, loaded once per request. */
export interface ViewerContext {
  userId: string;
  /** Null when the viewer has none or switched favorites off (then taste is not used at all). */
  taste: number[] | null;
  /** Null when the viewer has none or switched interests off. */
  embedding: number[] | null;
  lat: number | null;
  lon: number | null;
  hobbies: string[];
  /** Their communities and goals: empty with interests off (lib/discovery/goals.ts). */
  communities?: string[];
  goals?: string[];
  traits: Trait[];
  locale: Locale;
  permissions: SignalPermissions;
  /** The viewer's mean dwell on a person's card (user_dwell_avg; null: none yet, or behaviour off). */
  dwellAvgMs: number | null;
}

/** A candidate as retrieval returns it: raw facts, already limited by the candidate's privacy. */
export interface RawCandidate {
  userId: string;
  displayName: string;
  sources: Source[];
  /** Cosine similarities to the viewer (null: a vector is missing or may not be used). */
  tasteSimilarity: number | null;
  profileSimilarity: number | null;
  sharedFavoritesCount: number;
  /** The canonical media ids both love (what retrieval finds; sorted). */
  sharedMediaIds?: string[];
  /**
   * The best-rated shared titles, best first (at most 3), and the best one: empty from retrieval,
   * filled by withSharedTitles for the candidates that can be shown.
   */
  bestSharedTitle: string | null;
  sharedTitles: string[];
  /** The cover URL of each of sharedTitles (same order; null where none is known). */
  sharedCovers?: (string | null)[];
  traits: Trait[];
  hobbies: string[];
  communities: string[];
  /** What they are looking for (empty: none chosen, or interests off). */
  goals?: string[];
  lat: number | null;
  lon: number | null;
  mutualConnections: number;
  recentActivity: number;
  requestsReceived: number;
  requestsAccepted: number;
  /**
   * The viewer's own attention to this candidate from their behaviour features: weighted actions
   * (profile opens, clicks, reactions) and the dwell on their card. Read whatever the switches say;
   * computeFeatures uses it only while the viewer's behaviour switch is on.
   */
  viewerAttention: { actions: number; dwellMs: number };
  reportCount: number;
  harassmentScore: number | null;
  /** Fairness audit group (server-only; read by the fairness stage and nothing else). */
  auditGroup: string | null;
}

/** Ranker inputs, each scaled to [0, 1]. */
export const featureNames = [
  "tasteSimilarity",
  "profileSimilarity",
  "sharedFavorites",
  "traitOverlap",
  "sharedHobbies",
  "mutualConnections",
  "proximity",
  "recentActivity",
  "acceptanceRate",
  "attention",
] as const;
export type FeatureName = (typeof featureNames)[number];
export type FeatureVector = Record<FeatureName, number>;

/** What explanations may quote, next to the numbers. */
export interface FeatureEvidence {
  bestSharedTitle: string | null;
  sharedFavoritesCount: number;
  sharedTrait: string | null;
  sharedHobby: string | null;
  mutualConnections: number;
  distanceKm: number | null;
}

export interface FeaturedCandidate {
  raw: RawCandidate;
  features: FeatureVector;
  evidence: FeatureEvidence;
}

export interface ScoredCandidate extends FeaturedCandidate {
  /** bias + sum of contributions, before safety adjustments. */
  modelScore: number;
  /** weights[f] x features[f], exactly. */
  contributions: FeatureVector;
  /** The score the slate is ordered by (after tuning, goals and safety down-ranking). */
  score: number;
  /** What swipe-to-tune added (lib/discovery/tune.ts), when the viewer tuned. */
  tune?: { delta: number; liked: string | null };
  /** A shared interest and a skill they bring, when both look for collaborators (goals.ts). */
  collaboration?: { skill: string };
}

/** A reason as data, rendered to a phrase per locale at response time. */
export type Reason =
  | { kind: "shared_favorite"; title: string }
  | { kind: "shared_favorites_count"; count: number }
  | { kind: "shared_trait"; trait: string }
  | { kind: "mutual_connections"; count: number }
  | { kind: "shared_hobby"; hobby: string }
  | { kind: "similar_taste" }
  | { kind: "similar_interests" }
  | { kind: "nearby" }
  | { kind: "recently_active" }
  | { kind: "popular" }
  | { kind: "liked_similar"; name: string }
  | { kind: "collaborator"; skill: string };

/**
 * How far away a candidate is, coarsely: the cards show this band, never the distance itself, so
 * nobody can work out where someone lives from their card.
 */
export const distanceBands = ["lt5", "5to25", "25to100", "100plus"] as const;
export type DistanceBand = (typeof distanceBands)[number];

/** A shared favorite as a card shows it. */
export interface SharedFavorite {
  title: string;
  coverUrl: string | null;
}

/** One entry of a slate as cached (locale-free). */
export interface SlateEntry {
  userId: string;
  displayName: string;
  score: number;
  reasons: Reason[];
  /**
   * `items` and `distanceBand` are absent from entries cached before they existed (present.ts
   * fills them in); null band: unknown, or location off on either side.
   */
  sharedFavorites: { count: number; titles: string[]; items?: SharedFavorite[] };
  distanceBand?: DistanceBand | null;
  contributions: FeatureVector;
  /** Placed by an exploration slot rather than by rank (absent: ranked). */
  explored?: boolean;
}

export interface RankerModel {
  version: string;
  bias: number;
  weights: FeatureVector;
}
