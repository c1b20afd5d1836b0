import { beforeAll, expect, it } from "vitest";
import { evaluate, type EvalReport } from "../../eval/evaluate";
import { catalogueCoverage, intraListDiversity, ndcgAt, precisionAt, recallAt } from "../../eval/metrics";
import { prepareEvalData } from "../../eval/prepare";
import { describeEachDriver } from "../helpers/drivers";

it("metrics follow their definitions on a hand-made list", () => {
  const relevant = new Set(["a", "b", "c"]);
  const list = ["a", "x", "b", "y"];
  expect(precisionAt(4, list, relevant)).toBe(0.5);
  expect(precisionAt(10, list, relevant)).toBe(0.2); // short lists are not rewarded
  expect(recallAt(10, list, relevant)).toBeCloseTo(2 / 3);
  const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
  expect(ndcgAt(10, list, relevant)).toBeCloseTo((1 + 1 / Math.log2(4)) / ideal);
  expect(ndcgAt(10, ["a", "b", "c"], relevant)).toBeCloseTo(1);
  expect(catalogueCoverage(2, [list, ["z"]], 10)).toBe(0.3);
  const v = new Map([
    ["a", Float32Array.from([1, 0])],
    ["b", Float32Array.from([0, 1])],
  ]);
  expect(intraListDiversity(["a", "b", "x"], v)).toBeCloseTo(1);
});

describeEachDriver("offline evaluation on planted-community demo data", (ctx) => {
  let report: EvalReport;
  beforeAll(async () => {
    await prepareEvalData(ctx.db, { users: 300, seed: 11 });
    report = await evaluate(ctx.db, { viewers: 40, seed: 11 });
  }, 300_000);

  const metric = (system: string) => report.systems.find((s) => s.system === system)!;

  it("evaluates every system on viewers of the planted communities", () => {
    expect(report.viewers).toBe(40);
    expect(report.meanHeldOutPerViewer).toBeGreaterThan(0);
    expect(report.systems.map((s) => s.system)).toEqual([
      "random",
      "popular",
      "profile-only",
      "taste-only",
      "taste+profile",
      "shared favorites",
      "pipeline ranker",
      "full pipeline",
    ]);
    for (const s of report.systems) {
      expect(s.meanListLength).toBe(10);
      for (const x of [s.precisionAt10, s.recallAt10, s.ndcgAt10, s.catalogueCoverage, s.fairnessRatio]) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
    }
  });

  it("the full pipeline beats the random and popular baselines on NDCG@10", () => {
    expect(report.checks.beatsRandomAndPopularOnNdcg).toBe(true);
    expect(metric("full pipeline").ndcgAt10).toBeGreaterThan(metric("random").ndcgAt10 + 0.2);
    expect(metric("full pipeline").ndcgAt10).toBeGreaterThan(metric("popular").ndcgAt10 + 0.2);
  });

  // The label no longer rewards the shared-favorites count (held-out.ts), so at this scale (300
  // people, 40 viewers) the gain over profile-only is within noise (-2% to +29% Precision@10 over
  // 12 runs) and the shared-favorites baseline leads the pipeline: the report states both
  // comparisons with their figures rather than the test asserting a winner.
  it("reports the pipeline against profile-only and against the shared-favorites baseline with the measured figures", () => {
    expect(report.checks.uplift.map((c) => c.baseline)).toEqual(["profile-only", "profile-only", "profile-only"]);
    expect(report.checks.versusSharedFavorites.map((c) => [c.system, c.baseline])).toEqual([
      ["full pipeline", "shared favorites"],
      ["pipeline ranker", "shared favorites"],
    ]);
    for (const c of [...report.checks.uplift, ...report.checks.versusSharedFavorites]) {
      expect(c.value).toBe(metric(c.system).precisionAt10);
      expect(c.baselineValue).toBe(metric(c.baseline).precisionAt10);
      expect(c.met).toBe(c.value > c.baselineValue && c.relativeUplift >= c.target);
    }
  });

  it("the shared-favorites baseline finds held-out connections far above random and popular", () => {
    expect(metric("shared favorites").ndcgAt10).toBeGreaterThan(metric("random").ndcgAt10 + 0.2);
    expect(metric("shared favorites").ndcgAt10).toBeGreaterThan(metric("popular").ndcgAt10 + 0.2);
  });

  it("the served slate keeps exposure within the fairness band and is more diverse than the ranker alone", () => {
    expect(metric("full pipeline").fairnessRatio).toBeGreaterThanOrEqual(0.8);
    expect(metric("full pipeline").intraListDiversity).toBeGreaterThan(metric("pipeline ranker").intraListDiversity);
  });
});
