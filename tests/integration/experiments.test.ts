import { beforeAll, expect, it } from "vitest";
import { invalidateAllSlates } from "../../lib/discovery/slate-cache";
import { seedDemo } from "../../lib/demo/seed";
import { recordFeedback } from "../../lib/discovery/feedback";
import { variantFor } from "../../lib/experiments/assign";
import { experimentCandidatesPage } from "../../lib/experiments/candidates";
import { experimentMetrics } from "../../lib/experiments/metrics";
import { createExperiment, promoteExperiment, startExperiment, stopExperiment } from "../../lib/experiments/store";
import { runBatch } from "../../lib/jobs/batch";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { describeEachDriver } from "../helpers/drivers";

const VARIANTS = [
  { name: "control", share: 0.5 },
  { name: "explore", share: 0.5, settings: { explorationRate: 1, mmrLambda: 0.9 } },
];

describeEachDriver("experiments: assignment, exposures, staff override, metrics", (ctx) => {
  let ids: string[];
  const page = (userId: string, header: string | null = null, staff = false) =>
    experimentCandidatesPage(ctx.db, userId, {
      limit: 5,
      acceptLanguage: null,
      experimentHeader: header,
      staff,
    });

  beforeAll(async () => {
    await seedDemo(ctx.db, { users: 30, seed: 2104 });
    ids = (await ctx.db.query<{ id: string }>(`SELECT user_id::text AS id FROM profiles ORDER BY user_id`)).map(
      (r) => r.id,
    );
    await createExperiment(ctx.db, { id: "explore-test", variants: VARIANTS });
    await startExperiment(ctx.db, "explore-test");
  });

  it("assigns each person deterministically on first exposure, keeps it, and logs exposures with it", async () => {
    for (const id of ids.slice(0, 12)) await page(id);
    await page(ids[0]);
    const rows = await ctx.db.query<{ user_id: string; variant: string }>(
      `SELECT user_id::text AS user_id, variant FROM experiment_assignments WHERE experiment_id = 'explore-test'`,
    );
    expect(rows).toHaveLength(12);
    const variants = createdVariants();
    for (const r of rows) expect(r.variant).toBe(variantFor("explore-test", r.user_id, variants).name);
    expect(new Set(rows.map((r) => r.variant)).size).toBe(2);
    const exposures = await ctx.db.query<{ user_id: string; variant: string }>(
      `SELECT DISTINCT user_id::text AS user_id, payload -> 'experiment' ->> 'variant' AS variant FROM events
       WHERE kind = 'impression' AND payload -> 'experiment' ->> 'id' = 'explore-test'`,
    );
    expect(exposures.sort((a, b) => a.user_id.localeCompare(b.user_id))).toEqual(
      rows.sort((a, b) => a.user_id.localeCompare(b.user_id)),
    );
  });

  it("marks exploration slots in the response for the variant that explores, and never for the control", async () => {
    // Every explore-variant person with 3 cards or more: with 2 (or 1) eligible people there is
    // nobody ranked below the second card to explore with, and the demo's random ids decide who
    // lands in which variant.
    const assigned = await ctx.db.query<{ user_id: string }>(
      `SELECT user_id::text AS user_id FROM experiment_assignments WHERE variant = 'explore' ORDER BY user_id`,
    );
    const [control] = await ctx.db.query<{ user_id: string }>(
      `SELECT user_id::text AS user_id FROM experiment_assignments WHERE variant = 'control' ORDER BY user_id LIMIT 1`,
    );
    await invalidateAllSlates(ctx.db);
    const slates = [];
    for (const a of assigned) {
      const candidates = (await page(a.user_id)).body.candidates;
      if (candidates.length >= 3) slates.push(candidates);
    }
    expect(slates.length).toBeGreaterThan(0);
    for (const explored of slates) {
      expect(explored[0].explored).toBe(false); // the first card is always ranked
      expect(explored.slice(1).some((c) => c.explored)).toBe(true);
    }
    expect((await page(control.user_id)).body.candidates.every((c) => !c.explored)).toBe(true);
  });

  it("honours X-Mesh-Experiment for staff only, without assigning them", async () => {
    const person = ids[20];
    const own = variantFor("explore-test", person, createdVariants()).name;
    const other = own === "control" ? "explore" : "control";
    await page(person, `explore-test:${other}`, false);
    const [row] = await ctx.db.query<{ variant: string }>(
      `SELECT variant FROM experiment_assignments WHERE user_id = $1`,
      [person],
    );
    expect(row.variant).toBe(own); // the header was ignored

    const staffer = ids[21];
    await page(staffer, `explore-test:${other}`, true);
    const logged = await ctx.db.query<{ experiment: { variant: string; override?: boolean } }>(
      `SELECT payload -> 'experiment' AS experiment FROM events WHERE kind = 'impression' AND user_id = $1`,
      [staffer],
    );
    expect(logged.length).toBeGreaterThan(0);
    for (const l of logged) expect(l.experiment).toEqual({ id: "explore-test", variant: other, override: true });
    expect(await ctx.db.query(`SELECT 1 FROM experiment_assignments WHERE user_id = $1`, [staffer])).toHaveLength(0);
  });

  it("reports per-variant rates against the control, with a sample-ratio check, leaving overrides out", async () => {
    const shown = await ctx.db.query<{ user_id: string; target_id: string }>(
      `SELECT DISTINCT user_id::text AS user_id, target_id FROM events
       WHERE kind = 'impression' AND payload -> 'experiment' ->> 'id' = 'explore-test'
         AND NOT (payload -> 'experiment' ? 'override') ORDER BY 1, 2 LIMIT 6`,
    );
    for (const s of shown) await recordFeedback(ctx.db, s.user_id, s.target_id, "connect");
    const m = await experimentMetrics(ctx.db, "explore-test");
    expect(m.control).toBe("control");
    const people = await ctx.db.query<{ variant: string; n: number }>(
      `SELECT variant, count(*)::int AS n FROM experiment_assignments GROUP BY variant`,
    );
    for (const v of m.variants) {
      expect(v.people).toBe(people.find((p) => p.variant === v.variant)?.n ?? 0);
      expect(v.connectRate).toBeCloseTo(v.connects / v.exposures, 12);
    }
    expect(m.variants.reduce((s, v) => s + v.connects, 0)).toBe(6);
    expect(m.variants[0].vsControl).toBeNull();
    expect(m.variants[1].vsControl?.connectRate.ci95).toHaveLength(2);
    expect(m.sampleRatio.df).toBe(1);
    expect(m.coverage).toBeNull(); // no weekly report yet
  });

  it("the weekly coverage report counts the discoverable people shown at least once", async () => {
    await runBatch(ctx.db, batchJob("coverage-report", defaultJobContext()));
    const [report] = await ctx.db.query<{ discoverable: number; shown: number; coverage: number }>(
      `SELECT discoverable, shown, coverage FROM coverage_reports`,
    );
    const [truth] = await ctx.db.query<{ discoverable: number; shown: number }>(
      `SELECT count(*)::int AS discoverable,
              count(*) FILTER (WHERE user_id::text IN (SELECT target_id FROM events WHERE kind = 'impression'))::int AS shown
       FROM profiles WHERE discoverable`,
    );
    expect(report).toMatchObject(truth);
    expect(truth.shown).toBeGreaterThan(0);
    expect(report.coverage).toBeCloseTo(truth.shown / truth.discoverable, 4);
    // The metrics route reports it beside the variants, against the target.
    expect((await experimentMetrics(ctx.db, "explore-test")).coverage).toMatchObject({ ...truth, target: 0.9 });
  });

  it("stops and promotes: nobody is exposed after stopping", async () => {
    await stopExperiment(ctx.db, "explore-test");
    const before = await ctx.db.query(`SELECT 1 FROM experiment_assignments`);
    await page(ids[25]);
    expect(await ctx.db.query(`SELECT 1 FROM experiment_assignments`)).toHaveLength(before.length);
    const { experiment } = await promoteExperiment(ctx.db, "explore-test", "explore");
    expect(experiment).toMatchObject({ status: "promoted", winner: "explore" });
  });
});

function createdVariants() {
  return VARIANTS.map((v) => ({ settings: {}, ...v }));
}
