import type { FeatureEvidence, FeatureVector, FeaturedCandidate, RawCandidate, Trait, ViewerContext } from "./types";

/** Great-circle distance in kilometres. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Weighted Jaccard of two descriptor sets, and the shared descriptor that weighs most. */
export function traitOverlap(a: Trait[], b: Trait[]): { overlap: number; best: string | null } {
  const wa = new Map(a.map((t) => [t.label.toLowerCase(), t]));
  const wb = new Map(b.map((t) => [t.label.toLowerCase(), t.weight]));
  let min = 0;
  let max = 0;
  let best: string | null = null;
  let bestWeight = 0;
  for (const key of new Set([...wa.keys(), ...wb.keys()])) {
    const x = wa.get(key)?.weight ?? 0;
    const y = wb.get(key) ?? 0;
    min += Math.min(x, y);
    max += Math.max(x, y);
    if (x > 0 && y > 0 && Math.min(x, y) > bestWeight) {
      bestWeight = Math.min(x, y);
      best = wa.get(key)!.label;
    }
  }
  return { overlap: max > 0 ? min / max : 0, best };
}

function sharedHobbies(a: string[], b: string[]): string[] {
  const mine = new Set(a.map((h) => h.toLowerCase()));
  return b.filter((h) => mine.has(h.toLowerCase()));
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
/** Saturating scale for counts: 0 -> 0, `half` -> 0.5, many -> 1. */
const saturate = (n: number, half: number) => (n > 0 ? n / (n + half) : 0);

/** The dwell a card look is measured against before the viewer's own average is known (ms). */
export const DEFAULT_DWELL_MS = 3_000;

/**
 * The viewer's attention to a candidate: weighted actions plus the dwell on their card in units of
 * the viewer's own mean dwell (a fast scroller's 3 s counts more than a slow reader's), saturating.
 */
function attentionOf(viewer: ViewerContext, raw: RawCandidate): number {
  if (!viewer.permissions.behaviour) return 0;
  const looks = raw.viewerAttention.dwellMs / Math.max(viewer.dwellAvgMs ?? DEFAULT_DWELL_MS, 500);
  return saturate(raw.viewerAttention.actions + looks, 3);
}

/**
 * Turns retrieval's raw facts into ranker features in [0, 1] plus the evidence reasons quote.
 * Signals the viewer switched off are not used on either side (retrieval already drops the
 * candidate's own switched-off signals).
 */
export function computeFeatures(viewer: ViewerContext, raw: RawCandidate): FeaturedCandidate {
  const traits = viewer.permissions.favorites ? traitOverlap(viewer.traits, raw.traits) : { overlap: 0, best: null };
  const hobbies = viewer.permissions.interests ? sharedHobbies(viewer.hobbies, raw.hobbies) : [];
  const distanceKm =
    viewer.permissions.location && viewer.lat !== null && viewer.lon !== null && raw.lat !== null && raw.lon !== null
      ? haversineKm(viewer.lat, viewer.lon, raw.lat, raw.lon)
      : null;
  const shared = viewer.permissions.favorites ? raw.sharedFavoritesCount : 0;
  const features: FeatureVector = {
    tasteSimilarity: viewer.taste ? clamp01(raw.tasteSimilarity ?? 0) : 0,
    profileSimilarity: viewer.embedding ? clamp01(raw.profileSimilarity ?? 0) : 0,
    sharedFavorites: saturate(shared, 3),
    traitOverlap: clamp01(traits.overlap),
    sharedHobbies: saturate(hobbies.length, 1),
    mutualConnections: saturate(raw.mutualConnections, 2),
    proximity: distanceKm === null ? 0 : Math.exp(-distanceKm / 50),
    recentActivity: saturate(raw.recentActivity, 5),
    // Laplace-smoothed share of received requests accepted: unknown people sit at 0.5.
    acceptanceRate: (raw.requestsAccepted + 1) / (raw.requestsReceived + 2),
    attention: attentionOf(viewer, raw),
  };
  const evidence: FeatureEvidence = {
    bestSharedTitle: shared > 0 ? raw.bestSharedTitle : null,
    sharedFavoritesCount: shared,
    sharedTrait: traits.best,
    sharedHobby: hobbies[0] ?? null,
    mutualConnections: raw.mutualConnections,
    distanceKm,
  };
  return { raw, features, evidence };
}
