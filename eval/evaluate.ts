import type { CoverageReport } from "./coverage";
import type { Db } from "../lib/db/types";
import { Rng } from "../lib/random";
import { aggregateExposureRatios, disparateImpact, poolShares } from "../lib/discovery/fairness";
import { loadDataset, type EvalDataset } from "./dataset";
import { GROUND_TRUTH, heldOutConnections } from "./held-out";
import { catalogueCoverage, intraListDiversity, mean, ndcgAt, precisionAt, recallAt } from "./metrics";
import {
  fullPipelineSystem,
  pipelineRankerSystem,
  popularSystem,
  profileOnlySystem,
  randomSystem,
  sharedFavoritesSystem,
  tasteOnlySystem,
  tasteProfileSystem,
  type EvalSystem,
} from "./systems";

export const EVAL_K = 10;

export interface SystemMetrics {
  system: string;
  description: string;
  precisionAt10: number;
  recallAt10: number;
  ndcgAt10: number;
  /** Share of all demo users shown in at least one evaluated viewer's top 10. */
  catalogueCoverage: number;
  /** Mean pairwise taste-vector cosine distance within a top 10. */
  intraListDiversity: number;
  /** Disparate impact of exposure across audit groups (min/max ratio; 1 is parity, band 0.8–1.25). */
  fairnessRatio: number;
  /** Mean items returned (a system may return fewer than 10). */
  meanListLength: number;
}

export interface UpliftCheck {
  system: string;
  baseline: string;
  metric: "precisionAt10";
  value: number;
  baselineValue: number;
  /** (value - baseline) / baseline. */
  relativeUplift: number;
  target: number;
  met: boolean;
}

export interface EvalReport {
  generatedAt: string;
  driver: string;
  users: number;
  viewers: number;
  seed: number;
  k: number;
  groundTruth: string;
  meanHeldOutPerViewer: number;
  systems: SystemMetrics[];
  checks: {
    beatsRandomAndPopularOnNdcg: boolean;
    uplift: UpliftCheck[];
    /** The pipeline against the strongest simple baseline (target: any gain, 0%). */
    versusSharedFavorites: UpliftCheck[];
  };
  seconds: number;
  /** Coverage with and without exploration (npm run eval adds it after the evaluation). */
  coverage?: CoverageReport;
}

export interface EvaluateOptions {
  /** Viewers to evaluate (a seeded sample of users with a taste vector and a held-out connection). */
  viewers: number;
  seed: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export const UPLIFT_TARGET = 0.05;

function pickViewers(data: EvalDataset, count: number, seed: number): string[] {
  const eligible = data.userIds.filter((id) => data.taste.has(id) && data.community.has(id));
  return new Rng(seed).sample(eligible, count);
}

function upliftOver(
  metrics: SystemMetrics[],
  system: string,
  baseline: string,
  target = UPLIFT_TARGET,
): UpliftCheck | null {
  const a = metrics.find((m) => m.system === system);
  const b = metrics.find((m) => m.system === baseline);
  if (!a || !b) return null;
  const relativeUplift = b.precisionAt10 > 0 ? (a.precisionAt10 - b.precisionAt10) / b.precisionAt10 : Infinity;
  return {
    system,
    baseline,
    metric: "precisionAt10",
    value: a.precisionAt10,
    baselineValue: b.precisionAt10,
    relativeUplift,
    target,
    met: relativeUplift >= target && a.precisionAt10 > b.precisionAt10,
  };
}

/**
 * Evaluates every system on the same viewers against their held-out connections (held-out.ts).
 * The database must already hold the demo data and the batch jobs' output (prepare.ts).
 */
export async function evaluate(db: Db, options: EvaluateOptions): Promise<EvalReport> {
  const started = performance.now();
  const data = await loadDataset(db);
  const candidates = pickViewers(data, Math.max(options.viewers * 2, options.viewers + 20), options.seed);
  const truth = await heldOutConnections(db, data, candidates);
  const viewers = candidates.filter((v) => truth.get(v)!.size > 0).slice(0, options.viewers);
  const systems: EvalSystem[] = [
    randomSystem(data, options.seed),
    popularSystem(data),
    profileOnlySystem(data),
    tasteOnlySystem(data),
    tasteProfileSystem(data),
    sharedFavoritesSystem(data),
    pipelineRankerSystem(db),
    fullPipelineSystem(db),
  ];
  const shares = poolShares(data.userIds.map((id) => data.auditGroup.get(id) ?? null));
  const total = systems.length * viewers.length;
  let done = 0;
  const results: SystemMetrics[] = [];
  for (const system of systems) {
    const lists: string[][] = [];
    for (const viewer of viewers) {
      lists.push(await system.recommend(viewer, EVAL_K));
      options.onProgress?.(`evaluating ${system.name}`, ++done, total);
    }
    const per = (f: (list: string[], relevant: Set<string>) => number) =>
      mean(lists.map((list, i) => f(list, truth.get(viewers[i])!)));
    results.push({
      system: system.name,
      description: system.description,
      precisionAt10: per((l, r) => precisionAt(EVAL_K, l, r)),
      recallAt10: per((l, r) => recallAt(EVAL_K, l, r)),
      ndcgAt10: per((l, r) => ndcgAt(EVAL_K, l, r)),
      catalogueCoverage: catalogueCoverage(EVAL_K, lists, data.userIds.length),
      intraListDiversity: mean(lists.map((l) => intraListDiversity(l, data.taste))),
      fairnessRatio: disparateImpact(
        aggregateExposureRatios(
          lists.map((l) => ({ slateGroups: l.map((id) => data.auditGroup.get(id) ?? null), shares })),
        ),
      ),
      meanListLength: mean(lists.map((l) => l.length)),
    });
  }
  const ndcg = (name: string) => results.find((r) => r.system === name)!.ndcgAt10;
  return {
    generatedAt: new Date().toISOString(),
    driver: db.kind,
    users: data.userIds.length,
    viewers: viewers.length,
    seed: options.seed,
    k: EVAL_K,
    groundTruth: GROUND_TRUTH,
    meanHeldOutPerViewer: mean(viewers.map((v) => truth.get(v)!.size)),
    systems: results,
    checks: {
      beatsRandomAndPopularOnNdcg: ndcg("full pipeline") > ndcg("random") && ndcg("full pipeline") > ndcg("popular"),
      uplift: [
        upliftOver(results, "full pipeline", "profile-only"),
        upliftOver(results, "pipeline ranker", "profile-only"),
        upliftOver(results, "taste+profile", "profile-only"),
      ].filter((c): c is UpliftCheck => c !== null),
      versusSharedFavorites: [
        upliftOver(results, "full pipeline", "shared favorites", 0),
        upliftOver(results, "pipeline ranker", "shared favorites", 0),
      ].filter((c): c is UpliftCheck => c !== null),
    },
    seconds: (performance.now() - started) / 1000,
  };
}
