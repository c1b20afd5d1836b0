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

  it("evaluates every system on viewers with held-out connections", () => {
    expect(report.viewers).toBe(40);
    expect(report.meanHeldOutPerViewer).toBeGreaterThan(0);
    expect(report.systems.map((s) => s.system)).toEqual([
      "random",
      "popular",
      "profile-only",
      "taste-only",
      "taste+profile",
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

  it("taste + profile beats profile-only by at least 5% Precision@10 (every viewer has shared favorites)", () => {
    for (const check of report.checks.uplift) {
      expect(check.baseline).toBe("profile-only");
      expect(check.relativeUplift, check.system).toBeGreaterThanOrEqual(0.05);
    }
  });

  it("the served slate keeps exposure within the fairness band and is more diverse than the ranker alone", () => {
    expect(metric("full pipeline").fairnessRatio).toBeGreaterThanOrEqual(0.8);
    expect(metric("full pipeline").intraListDiversity).toBeGreaterThan(metric("pipeline ranker").intraListDiversity);
  });
});
