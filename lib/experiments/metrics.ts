import { COVERAGE_TARGET, type CoverageReport } from "../discovery/coverage-report";
import type { Queryable } from "../db/types";
import { compareProportions, sampleRatioMismatch, type ProportionComparison, type SampleRatioCheck } from "./stats";
import { getExperiment } from "./store";
import type { Experiment } from "./definition";

export interface VariantMetrics {
  variant: string;
  share: number;
  /** People exposed (assigned and shown at least one card under the experiment). */
  people: number;
  /** Exposures: distinct (viewer, shown person) pairs. */
  exposures: number;
  clicks: number;
  connects: number;
  accepts: number;
  ctr: number;
  connectRate: number;
  /** Shown pairs that became a connection (the shown person accepted the viewer's request). */
  acceptanceRate: number;
  /** Mean reported dwell on shown people (ms), null without dwell events. */
  meanDwellMs: number | null;
  /** Against the control (null for the control itself). */
  vsControl: {
    ctr: ProportionComparison;
    connectRate: ProportionComparison;
    acceptanceRate: ProportionComparison;
  } | null;
}

export interface ExperimentMetrics {
  experiment: Pick<Experiment, "id" | "status" | "startedAt" | "stoppedAt" | "winner">;
  control: string;
  variants: VariantMetrics[];
  sampleRatio: SampleRatioCheck;
  /** What one unit is: the z-tests treat exposed pairs as independent (a viewer's pairs are not quite). */
  unit: "exposed (viewer, person) pair";
  /** The latest weekly coverage report (coverage-report job), null before its first run. */
  coverage: (CoverageReport & { target: number }) | null;
}

async function latestCoverage(db: Queryable): Promise<ExperimentMetrics["coverage"]> {
  const [row] = await db.query<{ s: Date | string; e: Date | string; d: number; n: number; c: number | null }>(
    `SELECT period_start AS s, period_end AS e, discoverable AS d, shown AS n, coverage::float8 AS c
     FROM coverage_reports ORDER BY period_end DESC LIMIT 1`,
  );
  if (!row) return null;
  return {
    periodStart: new Date(row.s).toISOString(),
    periodEnd: new Date(row.e).toISOString(),
    discoverable: row.d,
    shown: row.n,
    coverage: row.c,
    target: COVERAGE_TARGET,
  };
}

/**
 * Per variant: exposed people and pairs, click-through, connect and acceptance rates, mean dwell,
 * each rate against the control with a two-proportion z-test and a 95% interval, and a
 * sample-ratio-mismatch check of exposed people against the traffic shares. Staff overrides
 * (X-Mesh-Experiment) are left out. Outcomes count when they came after the pair's first exposure.
 */
export async function experimentMetrics(db: Queryable, id: string): Promise<ExperimentMetrics> {
  const experiment = await getExperiment(db, id);
  const rows = await db.query<{
    variant: string;
    people: number;
    exposures: number;
    clicks: number;
    connects: number;
    accepts: number;
    mean_dwell: number | null;
  }>(
    `WITH exposed AS (
       SELECT e.user_id, e.target_id, e.payload -> 'experiment' ->> 'variant' AS variant, min(e.created_at) AS first_at
       FROM events e
       WHERE e.kind = 'impression' AND e.payload ? 'experiment' AND e.payload -> 'experiment' ->> 'id' = $1
         AND NOT (e.payload -> 'experiment' ? 'override') AND e.user_id IS NOT NULL
       GROUP BY 1, 2, 3
     ), outcomes AS (
       SELECT x.variant, x.user_id,
         EXISTS (SELECT 1 FROM feedback f WHERE f.user_id = x.user_id AND f.target_id = x.target_id
                   AND f.action = 'click' AND f.created_at >= x.first_at)
         OR EXISTS (SELECT 1 FROM events c WHERE c.user_id = x.user_id AND c.target_id = x.target_id
                   AND c.kind IN ('click', 'open_profile') AND c.created_at >= x.first_at) AS clicked,
         EXISTS (SELECT 1 FROM feedback f WHERE f.user_id = x.user_id AND f.target_id = x.target_id
                   AND f.action IN ('connect', 'connect_request') AND f.created_at >= x.first_at) AS connected,
         EXISTS (SELECT 1 FROM feedback f WHERE f.user_id::text = x.target_id AND f.target_user_id = x.user_id
                   AND f.action = 'connect_accept' AND f.created_at >= x.first_at) AS accepted,
         (SELECT avg(d.value) FROM events d WHERE d.user_id = x.user_id AND d.target_id = x.target_id
            AND d.kind = 'dwell' AND d.created_at >= x.first_at) AS dwell
       FROM exposed x
     )
     SELECT variant, count(DISTINCT user_id)::int AS people, count(*)::int AS exposures,
            count(*) FILTER (WHERE clicked)::int AS clicks, count(*) FILTER (WHERE connected)::int AS connects,
            count(*) FILTER (WHERE accepted)::int AS accepts, avg(dwell)::float8 AS mean_dwell
     FROM outcomes GROUP BY variant`,
    [id],
  );
  const byName = new Map(rows.map((r) => [r.variant, r]));
  const rate = (n: number, d: number) => (d ? n / d : 0);
  const control = experiment.variants[0];
  const c = byName.get(control.name);
  const variants = experiment.variants.map((v): VariantMetrics => {
    const r = byName.get(v.name);
    const exposures = r?.exposures ?? 0;
    const m = {
      variant: v.name,
      share: v.share,
      people: r?.people ?? 0,
      exposures,
      clicks: r?.clicks ?? 0,
      connects: r?.connects ?? 0,
      accepts: r?.accepts ?? 0,
      ctr: rate(r?.clicks ?? 0, exposures),
      connectRate: rate(r?.connects ?? 0, exposures),
      acceptanceRate: rate(r?.accepts ?? 0, exposures),
      meanDwellMs: r?.mean_dwell === null || r?.mean_dwell === undefined ? null : Number(r.mean_dwell),
    };
    const cn = c?.exposures ?? 0;
    const vsControl =
      v.name === control.name
        ? null
        : {
            ctr: compareProportions(
              { successes: c?.clicks ?? 0, trials: cn },
              { successes: m.clicks, trials: exposures },
            ),
            connectRate: compareProportions(
              { successes: c?.connects ?? 0, trials: cn },
              { successes: m.connects, trials: exposures },
            ),
            acceptanceRate: compareProportions(
              { successes: c?.accepts ?? 0, trials: cn },
              { successes: m.accepts, trials: exposures },
            ),
          };
    return { ...m, vsControl };
  });
  return {
    experiment: {
      id: experiment.id,
      status: experiment.status,
      startedAt: experiment.startedAt,
      stoppedAt: experiment.stoppedAt,
      winner: experiment.winner,
    },
    control: control.name,
    variants,
    sampleRatio: sampleRatioMismatch(
      variants.map((v) => v.people),
      variants.map((v) => v.share),
    ),
    unit: "exposed (viewer, person) pair",
    coverage: await latestCoverage(db),
  };
}
