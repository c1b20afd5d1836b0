import { learnedFeatures, learnedTerm, type HometownModel } from "./hometown-learned";

/**
 * HOMETOWN's score, as seed 003 writes it: a proximity boost `1 / (1 + distance_km)` times the
 * viewer's local-preference strength, plus a base score (quality + language match + category
 * preference), plus the optional learned term (a logistic model on viewer-stream watch events,
 * lib/streams/hometown-learned.ts) when one is trained. Each term is one reason, so the list says
 * exactly how the score was made (and that the learned term is off when it is).
 */
export const BASE_WEIGHTS = { quality: 0.5, language: 0.3, category: 0.2 } as const;

export interface ScoredInput {
  city: string;
  category: string;
  language: string;
  qualityScore: number;
  viewerCount: number;
  /** Null when the viewer's location is not used (switched off or unknown). */
  distanceKm: number | null;
}

export interface Viewer {
  language: string;
  categories: string[];
  localStrength: number;
  /** Why location is not used, when it is not (said in every reason list). */
  fallback: "location_off" | "no_location" | null;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function scoreStream(
  s: ScoredInput,
  v: Viewer,
  model: HometownModel | null = null,
): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 0;
  if (s.distanceKm !== null && v.fallback === null) {
    const proximity = 1 / (1 + s.distanceKm);
    const term = proximity * v.localStrength;
    score += term;
    reasons.push(
      `Near you: ${s.city}, ${Math.round(s.distanceKm)} km away (proximity ${r3(proximity)} × local preference ${r3(v.localStrength)} = +${r3(term)})`,
    );
  } else {
    const why = v.fallback === "location_off" ? "Location is off" : "No location on your profile";
    reasons.push(`${why}: popular in your language (${v.language}), ${s.viewerCount} watching; no distance used`);
  }
  const quality = BASE_WEIGHTS.quality * s.qualityScore;
  score += quality;
  reasons.push(`Stream quality ${r3(s.qualityScore)} (+${r3(quality)})`);
  if (s.language === v.language) {
    score += BASE_WEIGHTS.language;
    reasons.push(`In your language, ${v.language} (+${BASE_WEIGHTS.language})`);
  }
  if (v.categories.includes(s.category)) {
    score += BASE_WEIGHTS.category;
    reasons.push(`A category you like: ${s.category} (+${BASE_WEIGHTS.category})`);
  }
  if (model) {
    const x = learnedFeatures({
      proximity: s.distanceKm !== null && v.fallback === null ? 1 / (1 + s.distanceKm) : 0,
      quality: s.qualityScore,
      language: s.language === v.language,
      category: v.categories.includes(s.category),
      viewerCount: s.viewerCount,
    });
    const term = learnedTerm(model, x);
    score += term;
    reasons.push(`Learned from watches (${model.version}): +${r3(term)}`);
  } else {
    reasons.push("Learned term off: no model trained from watch events yet");
  }
  return { score: Math.round(score * 1e6) / 1e6, reasons };
}
