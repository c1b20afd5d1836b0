import type { Db } from "../lib/db/types";
import { COVERAGE_TARGET } from "../lib/discovery/coverage-report";
import { serveCandidates } from "../lib/discovery/pipeline";

export interface CoverageRow {
  explorationRate: number;
  /** Discoverable people shown in at least one viewer's page. */
  shown: number;
  discoverable: number;
  coverage: number | null;
}

export interface CoverageReport {
  viewers: number;
  pageSize: number;
  target: number;
  rows: CoverageRow[];
}

export const EXPLORATION_RATES = [0, 0.1, 0.3, 0.5];

/**
 * Coverage (the share of discoverable people shown at least once, as the weekly coverage-report
 * job counts it) when each of `viewers` opens one page of `pageSize`, without exploration and at
 * each rate: every page is built afresh with that rate (a fixed seed per viewer), and the people
 * on it are counted from the pages themselves, so the rates do not see each other's impressions.
 */
export async function explorationCoverage(
  db: Db,
  viewers: string[],
  pageSize: number,
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<CoverageReport> {
  const [{ n: discoverable }] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM profiles WHERE discoverable`,
  );
  const rows: CoverageRow[] = [];
  for (const rate of EXPLORATION_RATES) {
    const shown = new Set<string>();
    for (const [i, viewer] of viewers.entries()) {
      const page = await serveCandidates(db, viewer, {
        limit: pageSize,
        offset: 0,
        fresh: true,
        settings: { explorationRate: rate, explorationSeed: rate > 0 ? 1000 + i : null },
      });
      for (const e of page.items) shown.add(e.userId);
      onProgress?.(`coverage at exploration ${rate}`, i + 1, viewers.length);
    }
    rows.push({
      explorationRate: rate,
      shown: shown.size,
      discoverable,
      coverage: discoverable ? Math.round((shown.size / discoverable) * 1000) / 1000 : null,
    });
  }
  return { viewers: viewers.length, pageSize, target: COVERAGE_TARGET, rows };
}

export function coverageMarkdown(c: CoverageReport): string[] {
  const reaching = c.rows.find((r) => (r.coverage ?? 0) > c.target);
  return [
    `#### Coverage with and without exploration (${c.viewers} viewers, one page of ${c.pageSize} each)`,
    "",
    "| exploration rate | people shown | discoverable | coverage |",
    "| --- | --- | --- | --- |",
    ...c.rows.map((r) => `| ${r.explorationRate} | ${r.shown} | ${r.discoverable} | ${r.coverage ?? "-"} |`),
    "",
    `- Target > ${c.target} (seed 001): ${reaching ? `reached at exploration rate ${reaching.explorationRate}` : "**not reached** at any rate tried: with this many viewers and cards, not everyone can be shown"}. At most ${c.viewers * c.pageSize} cards are shown in all.`,
    "",
  ];
}
