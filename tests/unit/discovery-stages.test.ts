import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage } from "../../lib/discovery/locale";
import { exposureRatios, disparateImpact, poolShares } from "../../lib/discovery/fairness";
import { unitVector } from "../../lib/discovery/diversity";
import { computeFeatures } from "../../lib/discovery/features";
import { PRIOR_MODEL, rankCandidates } from "../../lib/discovery/ranker/model";
import { pickReasons, renderReason } from "../../lib/discovery/reasons";
import { applySafety } from "../../lib/discovery/safety";
import { selectSlate } from "../../lib/discovery/select";
import { resolveSettings } from "../../lib/discovery/settings";
import { storedDescriptors } from "../../lib/traits/schema";
import { featureNames, type RawCandidate, type ViewerContext } from "../../lib/discovery/types";

const viewer: ViewerContext = {
  userId: "v",
  taste: [1, 0],
  embedding: [1, 0],
  lat: 40.4,
  lon: -3.7,
  hobbies: ["climbing", "chess"],
  traits: [{ label: "cerebral sci-fi", weight: 0.8 }],
  locale: "en",
  permissions: { favorites: true, interests: true, behaviour: true, location: true },
  dwellAvgMs: null,
};

function raw(userId: string, patch: Partial<RawCandidate> = {}): RawCandidate {
  return {
    userId,
    displayName: userId,
    sources: ["taste"],
    tasteSimilarity: 0.5,
    profileSimilarity: 0.2,
    sharedFavoritesCount: 0,
    bestSharedTitle: null,
    sharedTitles: [],
    traits: [],
    hobbies: [],
    communities: [],
    lat: null,
    lon: null,
    mutualConnections: 0,
    recentActivity: 0,
    requestsReceived: 0,
    requestsAccepted: 0,
    viewerAttention: { actions: 0, dwellMs: 0 },
    reportCount: 0,
    harassmentScore: null,
    auditGroup: null,
    ...patch,
  };
}

const scored = (rows: RawCandidate[]) =>
  rankCandidates(
    PRIOR_MODEL,
    rows.map((r) => computeFeatures(viewer, r)),
  );

describe("ranker", () => {
  it("scores are the bias plus exact per-feature contributions (weights x features)", () => {
    const [c] = scored([raw("a", { sharedFavoritesCount: 2, bestSharedTitle: "Blade Runner", mutualConnections: 1 })]);
    const sum = featureNames.reduce((s, f) => s + c.contributions[f], PRIOR_MODEL.bias);
    expect(c.modelScore).toBeCloseTo(sum, 12);
    for (const f of featureNames) expect(c.contributions[f]).toBe(PRIOR_MODEL.weights[f] * c.features[f]);
  });

  it("a viewer who switched favorites off gets no taste or shared-favorite signal", () => {
    const off = { ...viewer, taste: null, permissions: { ...viewer.permissions, favorites: false } };
    const c = computeFeatures(off, raw("a", { sharedFavoritesCount: 4, bestSharedTitle: "Alien" }));
    expect(c.features.tasteSimilarity).toBe(0);
    expect(c.features.sharedFavorites).toBe(0);
    expect(c.evidence.bestSharedTitle).toBeNull();
  });

  it("lifts a person the viewer keeps coming back to, unless the viewer's behaviour switch is off", () => {
    const looked = raw("b", { viewerAttention: { actions: 4, dwellMs: 9_000 } });
    const [first] = scored([raw("a"), looked]);
    expect(first.raw.userId).toBe("b");
    expect(first.features.attention).toBeGreaterThan(0.5);
    const off = { ...viewer, permissions: { ...viewer.permissions, behaviour: false } };
    expect(computeFeatures(off, looked).features.attention).toBe(0);
  });

  it("measures a dwell against the viewer's own mean dwell", () => {
    const card = raw("a", { viewerAttention: { actions: 0, dwellMs: 4_000 } });
    const fast = computeFeatures({ ...viewer, dwellAvgMs: 1_000 }, card).features.attention;
    const slow = computeFeatures({ ...viewer, dwellAvgMs: 8_000 }, card).features.attention;
    expect(fast).toBeGreaterThan(slow);
  });
});

describe("safety", () => {
  it("removes harassment above 0.8 and blocked users, and down-ranks the reported", () => {
    const list = scored([
      raw("harasser", { harassmentScore: 0.81, tasteSimilarity: 0.99 }),
      raw("borderline", { harassmentScore: 0.8 }),
      raw("blocked", { tasteSimilarity: 0.99 }),
      raw("reported", { tasteSimilarity: 0.9, reportCount: 2 }),
      raw("clean", { tasteSimilarity: 0.85 }),
    ]);
    const safe = applySafety(list, { blocked: new Set(["blocked"]), reportPenalty: 0.7 });
    const ids = safe.map((c) => c.raw.userId);
    expect(ids).not.toContain("harasser");
    expect(ids).not.toContain("blocked");
    expect(ids).toContain("borderline");
    expect(ids.indexOf("clean")).toBeLessThan(ids.indexOf("reported"));
  });
});

describe("fairness re-ranking", () => {
  const pool = (a: number, b: number) => [
    ...Array.from({ length: a }, (_, i) => ({ id: `a${i}`, score: 1 - i * 0.001, group: "A", community: null })),
    ...Array.from({ length: b }, (_, i) => ({ id: `b${i}`, score: 0.5 - i * 0.001, group: "B", community: null })),
  ];

  it.each([
    [50, 50, 10],
    [70, 30, 10],
    [80, 20, 20],
    [60, 40, 50],
  ])("brings exposure within a tenth of pool share (%i/%i, slate of %i)", (a, b, length) => {
    const candidates = pool(a, b);
    const shares = poolShares(candidates.map((c) => c.group));
    const plain = selectSlate(candidates, { length, lambda: 1, maxCommunityShare: 1, fairnessTolerance: null });
    expect(
      exposureRatios(
        plain.map((c) => c.group),
        shares,
      ).get("B"),
    ).toBe(0); // merit alone: B unseen
    const fair = selectSlate(candidates, { length, lambda: 1, maxCommunityShare: 1, fairnessTolerance: 0.1 });
    const ratios = exposureRatios(
      fair.map((c) => c.group),
      shares,
    );
    for (const r of ratios.values()) expect(Math.abs(r - 1)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(disparateImpact(ratios)).toBeGreaterThanOrEqual(0.8);
    // Within a group, merit order is kept.
    const bs = fair.filter((c) => c.group === "B").map((c) => c.id);
    expect(bs).toEqual([...bs].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))));
  });
});

describe("MMR diversity", () => {
  const near = (base: number[], i: number) => unitVector(base.map((x, k) => x + (k === 3 ? i * 0.01 : 0)));
  const community = (name: string, base: number[], n: number, top: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `${name}${i}`,
      score: top - i * 0.001,
      group: null,
      community: name,
      vectors: { taste: near(base, i), profile: null },
    }));
  const pool = [
    ...community("scifi", [1, 0, 0, 0], 12, 1),
    ...community("mystery", [0, 1, 0, 0], 12, 0.8),
    ...community("jazz", [0, 0, 1, 0], 12, 0.7),
    ...community("folk", [0, 0, 0, 1], 12, 0.6),
  ];
  const share = (slate: { community: string | null }[], name: string) =>
    slate.filter((c) => c.community === name).length / slate.length;

  it("without diversity one community fills the slate; with MMR and the cap none exceeds 30% of 10", () => {
    const plain = selectSlate(pool, { length: 10, lambda: 1, maxCommunityShare: 1, fairnessTolerance: null });
    expect(share(plain, "scifi")).toBe(1);
    const diverse = selectSlate(pool, { length: 10, lambda: 0.5, maxCommunityShare: 0.3, fairnessTolerance: null });
    for (const name of ["scifi", "mystery", "jazz", "folk"])
      expect(share(diverse, name)).toBeLessThanOrEqual(0.3 + 1e-9);
    expect(diverse[0].id).toBe("scifi0"); // the most relevant still leads
  });

  it("MMR alone (no cap) moves other communities up", () => {
    const mmr = selectSlate(pool, { length: 10, lambda: 0.3, maxCommunityShare: 1, fairnessTolerance: null });
    expect(share(mmr, "scifi")).toBeLessThan(1);
    expect(new Set(mmr.slice(0, 3).map((c) => c.community)).size).toBe(3);
  });

  it("yields when the pool allows nothing else", () => {
    const only = community("scifi", [1, 0, 0, 0], 12, 1);
    const slate = selectSlate(only, { length: 10, lambda: 0.5, maxCommunityShare: 0.3, fairnessTolerance: null });
    expect(slate).toHaveLength(10);
  });

  it("refuses lambda below 0.3", () => {
    expect(() => resolveSettings({ mmrLambda: 0.2 })).toThrow(/mmrLambda/);
    expect(resolveSettings({ mmrLambda: 0.3 }).mmrLambda).toBe(0.3);
  });
});

describe("reasons", () => {
  const strong = scored([
    raw("a", {
      sharedFavoritesCount: 5,
      bestSharedTitle: "Blade Runner",
      sharedTitles: ["Blade Runner"],
      tasteSimilarity: 0.1,
      profileSimilarity: 0,
      mutualConnections: 3,
    }),
  ])[0];

  it("come from the top contributions, in English and Spanish", () => {
    const reasons = pickReasons(strong, ["taste"]);
    expect(reasons.map((r) => renderReason(r, "en"))).toEqual(["You both love Blade Runner", "3 mutual connections"]);
    expect(reasons.map((r) => renderReason(r, "es"))).toEqual([
      "A los dos os encanta Blade Runner",
      "3 conexiones en común",
    ]);
  });

  it("name shared traits (from cached traits) and hobbies", () => {
    const c = scored([
      raw("b", {
        tasteSimilarity: 0,
        profileSimilarity: 0,
        traits: storedDescriptors({ descriptors: [{ label: "cerebral sci-fi", weight: 0.9 }] }),
        hobbies: ["Climbing"],
      }),
    ])[0];
    const en = pickReasons(c, ["profile"]).map((r) => renderReason(r, "en"));
    expect(en).toEqual(["Both enjoy cerebral sci-fi", "Also into Climbing"]);
    const es = pickReasons(c, ["profile"]).map((r) => renderReason(r, "es"));
    expect(es).toEqual(["Compartís el gusto por cerebral sci-fi", "También le gusta Climbing"]);
  });

  it("picks the language from Accept-Language by q-value", () => {
    expect(localeFromAcceptLanguage("fr-FR, es;q=0.8, en;q=0.5")).toBe("es");
    expect(localeFromAcceptLanguage("en-GB,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("de")).toBeNull();
  });
});
