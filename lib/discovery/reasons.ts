import type { FeatureName, Locale, Reason, ScoredCandidate, Source } from "./types";

/** The reason a feature's contribution stands for, when the evidence supports one. */
function reasonFor(feature: FeatureName, c: ScoredCandidate): Reason | null {
  const e = c.evidence;
  switch (feature) {
    case "sharedFavorites":
      return e.bestSharedTitle ? { kind: "shared_favorite", title: e.bestSharedTitle } : null;
    case "traitOverlap":
      return e.sharedTrait ? { kind: "shared_trait", trait: e.sharedTrait } : null;
    case "mutualConnections":
      return e.mutualConnections > 0 ? { kind: "mutual_connections", count: e.mutualConnections } : null;
    case "sharedHobbies":
      return e.sharedHobby ? { kind: "shared_hobby", hobby: e.sharedHobby } : null;
    case "tasteSimilarity":
      return { kind: "similar_taste" };
    case "profileSimilarity":
      return { kind: "similar_interests" };
    case "proximity":
      // No kilometres: the card shows a coarse distance band, and a reason must not undo that.
      return e.distanceKm !== null && e.distanceKm <= 50 ? { kind: "nearby" } : null;
    case "recentActivity":
      return { kind: "recently_active" };
    case "acceptanceRate":
      return null; // a ranking signal, not something to tell anyone about a person
    case "attention":
      return null; // the viewer's own looks and clicks: they know, and a card should not watch back
  }
}

// Summaries of what the specific reasons name: shown only when nothing specific qualifies.
const generic = new Set<Reason["kind"]>(["similar_taste", "similar_interests", "recently_active"]);

/**
 * 1-2 reasons from the feature contributions that matter (>= 0.01 of the score), largest first,
 * so a reason always names something that moved the score. Specific reasons (a shared title,
 * trait, hobby, mutual connections, distance) come before generic summaries ("similar taste"),
 * which the specific ones explain. A candidate found only by the cold-start fallback with nothing
 * in common gets "popular".
 */
export function pickReasons(c: ScoredCandidate, sources: Source[], max = 2): Reason[] {
  const candidates = (Object.entries(c.contributions) as [FeatureName, number][])
    .filter(([, v]) => v >= 0.01)
    .sort((a, b) => b[1] - a[1])
    .map(([feature]) => reasonFor(feature, c))
    .filter((r): r is Reason => r !== null);
  const reasons = [
    ...candidates.filter((r) => !generic.has(r.kind)),
    ...candidates.filter((r) => generic.has(r.kind)),
  ].slice(0, max);
  if (reasons.length === 0 && sources.includes("popular")) reasons.push({ kind: "popular" });
  return reasons;
}

/** Renders a reason in the viewer's language. Titles, traits and hobbies are quoted as stored. */
export function renderReason(r: Reason, locale: Locale): string {
  const es = locale === "es";
  switch (r.kind) {
    case "shared_favorite":
      return es ? `A los dos os encanta ${r.title}` : `You both love ${r.title}`;
    case "shared_favorites_count":
      return es ? `${r.count} favoritos en común` : `${r.count} favorites in common`;
    case "shared_trait":
      return es ? `Compartís el gusto por ${r.trait}` : `Both enjoy ${r.trait}`;
    case "mutual_connections":
      return es
        ? `${r.count} ${r.count === 1 ? "conexión" : "conexiones"} en común`
        : `${r.count} mutual ${r.count === 1 ? "connection" : "connections"}`;
    case "shared_hobby":
      return es ? `También le gusta ${r.hobby}` : `Also into ${r.hobby}`;
    case "similar_taste":
      return es ? "Gustos parecidos en cine, libros y música" : "Similar taste in films, books and music";
    case "similar_interests":
      return es ? "Intereses parecidos" : "Similar interests";
    case "nearby":
      return es ? "Vive cerca" : "Lives nearby";
    case "recently_active":
      return es ? "Con actividad reciente" : "Active recently";
    case "popular":
      return es ? "Popular en Mesh" : "Popular on Mesh";
    case "liked_similar":
      return es ? `Porque te gustó ${r.name}` : `Because you liked ${r.name}`;
    case "collaborator":
      return es ? `También busca colaborar; aporta ${r.skill}` : `Also looking to collaborate; brings ${r.skill}`;
  }
}
