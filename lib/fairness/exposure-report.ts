import type { Queryable } from "../db/types";
import { disparateImpact, positionWeight } from "../discovery/fairness";
import { HARASSMENT_THRESHOLD } from "../discovery/safety";
import type { BatchPhase } from "../jobs/batch";

/** Groups with fewer eligible members than this are left out of the report (too few to show). */
export const MIN_GROUP_SIZE = 5;
const WEEK_MS = 7 * 86_400_000;

export interface GroupExposure {
  group: string;
  /** Eligible people who declared this group. */
  members: number;
  poolShare: number;
  /** Impressions of the group's members over the period. */
  impressions: number;
  exposureShare: number;
  /** exposureShare / poolShare: 1 is parity. */
  ratio: number;
}

export interface FairnessReport {
  periodStart: string;
  periodEnd: string;
  groups: GroupExposure[];
  /** Groups left out for having fewer than MIN_GROUP_SIZE members. */
  suppressedGroups: number;
  /** Smallest ratio / largest (1 is parity; the accepted band is 0.8..1.25); null with under two groups. */
  disparateImpact: number | null;
  impressions: number;
}

/**
 * Disparate impact of exposure per self-declared group over a period (the README's formula): each
 * impression weighs 1 / log2(position + 1) (position 1 = the slate's first card); a group's share
 * of that position-weighted exposure, over the impressions of people who declared a group, is
 * divided by its share of the eligible pool (discoverable, not excluded by the safety stage, with a
 * declared group); the report's figure is the smallest ratio over the largest. Aggregates only.
 */
export async function computeFairnessReport(db: Queryable, periodEnd: Date): Promise<FairnessReport> {
  const periodStart = new Date(periodEnd.getTime() - WEEK_MS);
  const pool = await db.query<{ audit_group: string; n: number }>(
    `SELECT fa.audit_group, count(*)::int AS n FROM fairness_audit_attributes fa
     WHERE NOT EXISTS (SELECT 1 FROM discovery_hidden() h WHERE h.user_id = fa.user_id)
       AND NOT EXISTS (SELECT 1 FROM safety_scores ss WHERE ss.user_id = fa.user_id AND ss.harassment_score > $1)
     GROUP BY fa.audit_group`,
    [HARASSMENT_THRESHOLD],
  );
  const shown = pool.filter((g) => g.n >= MIN_GROUP_SIZE);
  const seen = await db.query<{ audit_group: string; pos: number; n: number }>(
    `SELECT fa.audit_group, e.value::int AS pos, count(*)::int AS n
     FROM events e JOIN fairness_audit_attributes fa ON fa.user_id::text = e.target_id
     WHERE e.kind = 'impression' AND e.created_at >= $1 AND e.created_at < $2 AND e.value >= 1
       AND fa.audit_group = ANY($3::text[])
     GROUP BY 1, 2`,
    [periodStart, periodEnd, shown.map((g) => g.audit_group)],
  );
  const members = shown.reduce((s, g) => s + g.n, 0);
  const exposure = new Map<string, number>();
  const impressions = new Map<string, number>();
  for (const r of seen) {
    exposure.set(r.audit_group, (exposure.get(r.audit_group) ?? 0) + r.n * positionWeight(r.pos - 1));
    impressions.set(r.audit_group, (impressions.get(r.audit_group) ?? 0) + r.n);
  }
  const totalExposure = [...exposure.values()].reduce((a, b) => a + b, 0);
  const groups = shown
    .map((g) => {
      const poolShare = g.n / members;
      const exposureShare = totalExposure > 0 ? (exposure.get(g.audit_group) ?? 0) / totalExposure : 0;
      return {
        group: g.audit_group,
        members: g.n,
        poolShare: round(poolShare),
        impressions: impressions.get(g.audit_group) ?? 0,
        exposureShare: round(exposureShare),
        ratio: round(exposureShare / poolShare),
      };
    })
    .sort((a, b) => a.group.localeCompare(b.group));
  const ratios = new Map(groups.map((g) => [g.group, g.ratio]));
  return {
    periodStart: periodStart.toISOString(),
    periodEnd: periodEnd.toISOString(),
    groups,
    suppressedGroups: pool.length - shown.length,
    disparateImpact: groups.length >= 2 && totalExposure > 0 ? round(disparateImpact(ratios)) : null,
    impressions: [...impressions.values()].reduce((a, b) => a + b, 0),
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Stores a report (fairness_reports) and returns it. */
export async function storeFairnessReport(db: Queryable, periodEnd: Date): Promise<FairnessReport> {
  const report = await computeFairnessReport(db, periodEnd);
  await db.query(
    `INSERT INTO fairness_reports (period_start, period_end, groups, disparate_impact, impressions)
     VALUES ($1, $2, $3::text::jsonb, $4, $5)`,
    [
      report.periodStart,
      report.periodEnd,
      JSON.stringify({ groups: report.groups, suppressedGroups: report.suppressedGroups }),
      report.disparateImpact,
      report.impressions,
    ],
  );
  return report;
}

/** The weekly `fairness-report` batch: one step over the past week, logged (aggregates only). */
export function fairnessReportPhase(now: () => Date): BatchPhase {
  return {
    name: "fairness report",
    total: async () => 1,
    async step(tx) {
      const report = await storeFairnessReport(tx, now());
      console.log(`[mesh] fairness-report: ${JSON.stringify(report)}`);
      return { processed: 1, cursor: null, done: true };
    },
  };
}
