import type { Queryable } from "../db/types";
import type { BatchPhase } from "../jobs/batch";

export interface CoverageReport {
  periodStart: string;
  periodEnd: string;
  /** People discoverable at the end of the period. */
  discoverable: number;
  /** Of them, those shown to someone at least once in the period. */
  shown: number;
  /** shown / discoverable (null with nobody discoverable). The spec's target is > 0.9. */
  coverage: number | null;
}

/** The target the coverage report is read against (seed 001). */
export const COVERAGE_TARGET = 0.9;

/** Coverage over the 7 days before `periodEnd`: the share of discoverable people shown at least once. */
export async function computeCoverage(db: Queryable, periodEnd: Date): Promise<CoverageReport> {
  const periodStart = new Date(periodEnd.getTime() - 7 * 86_400_000);
  const [row] = await db.query<{ discoverable: number; shown: number }>(
    `WITH shown AS (
       SELECT DISTINCT target_id FROM events
       WHERE kind = 'impression' AND created_at >= $1 AND created_at < $2 AND target_id IS NOT NULL
     )
     SELECT count(*)::int AS discoverable,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM shown s WHERE s.target_id = p.user_id::text))::int AS shown
     FROM profiles p WHERE p.discoverable`,
    [periodStart, periodEnd],
  );
  return {
    periodStart: periodStart.toISOString(),
    periodEnd: periodEnd.toISOString(),
    discoverable: row.discoverable,
    shown: row.shown,
    coverage: row.discoverable ? Math.round((row.shown / row.discoverable) * 10_000) / 10_000 : null,
  };
}

/** The weekly `coverage-report` batch: one step over the past week, stored and logged (counts only). */
export function coverageReportPhase(now: () => Date): BatchPhase {
  return {
    name: "coverage report",
    total: async () => 1,
    async step(tx) {
      const report = await computeCoverage(tx, now());
      await tx.query(
        `INSERT INTO coverage_reports (period_start, period_end, discoverable, shown, coverage) VALUES ($1, $2, $3, $4, $5)`,
        [report.periodStart, report.periodEnd, report.discoverable, report.shown, report.coverage],
      );
      console.log(`[mesh] coverage-report: ${JSON.stringify(report)}`);
      return { processed: 1, cursor: null, done: true };
    },
  };
}
