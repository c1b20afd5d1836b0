import { beforeAll, expect, it } from "vitest";
import { seedDemo } from "../../lib/demo/seed";
import { Rng } from "../../lib/random";
import { serveCandidates } from "../../lib/discovery/pipeline";
import { recordFeedback } from "../../lib/discovery/feedback";
import { loadTrainingExamples } from "../../lib/discovery/ranker/training-data";
import { rollbackRanker } from "../../lib/discovery/ranker/rollback";
import { featureNames } from "../../lib/discovery/types";
import { runBatch } from "../../lib/jobs/batch";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { describeEachDriver } from "../helpers/drivers";

const CYCLES = 5;
const VIEWERS_PER_CYCLE = 6;
const SHOWN = 10;

interface Person {
  id: string;
  city: string;
}

/**
 * The hidden truth the pipeline never reads: these synthetic people look for pen pals abroad. They
 * connect with most people from another city and few from their own, whatever else they share;
 * the prior ranks nearby people and shared favorites first, so it serves them poorly. The ranker
 * sees only its features (proximity among them) and the outcomes.
 */
function wantsToMeet(viewer: Person, target: Person): number {
  return viewer.city === target.city ? 0.1 : 0.6;
}

describeEachDriver("learning loop: logged features, retraining, rollback", (ctx) => {
  let people: Person[];
  const acceptance: number[] = [];
  const trained: string[] = [];
  let outcomes = 0;

  beforeAll(async () => {
    await seedDemo(ctx.db, { users: 60, seed: 21 });
    people = await ctx.db.query<Person>(`SELECT user_id::text AS id, city FROM profiles ORDER BY user_id`);
    // Five cycles: a fresh cohort of viewers is served slates, acts on them by the hidden
    // preference, then the ranker-training batch runs on everything so far.
    const rng = new Rng(2101);
    const byId = new Map(people.map((p) => [p.id, p]));
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      let shown = 0;
      let accepted = 0;
      for (const viewer of people.slice(cycle * VIEWERS_PER_CYCLE, (cycle + 1) * VIEWERS_PER_CYCLE)) {
        const page = await serveCandidates(ctx.db, viewer.id, { limit: SHOWN, offset: 0 });
        for (const item of page.items) {
          const yes = rng.chance(wantsToMeet(viewer, byId.get(item.userId)!));
          await recordFeedback(ctx.db, viewer.id, item.userId, yes ? "connect" : "pass");
          shown++;
          if (yes) accepted++;
        }
      }
      acceptance.push(accepted / shown);
      outcomes += shown;
      await runBatch(ctx.db, batchJob("ranker-training", defaultJobContext()));
      const [active] = await ctx.db.query<{ version: string }>(`SELECT version FROM ranker_models WHERE active`);
      trained.push(active.version);
    }
  });

  it("five cycles of serving, outcomes and retraining lift acceptance to >= 1.2x the first cycle's", () => {
    expect(acceptance).toHaveLength(CYCLES);
    expect(acceptance[CYCLES - 1]).toBeGreaterThanOrEqual(1.2 * acceptance[0]);
    expect(trained[CYCLES - 1]).toMatch(/^lr-/); // a trained version serves, not the prior
  });

  it("logs with every impression the features the ranker saw and the request id, cached pages too", async () => {
    const viewer = people[people.length - 1];
    const first = await serveCandidates(ctx.db, viewer.id, { limit: 3, offset: 0 });
    const second = await serveCandidates(ctx.db, viewer.id, { limit: 3, offset: 3 });
    expect(second.cached).toBe(true);
    expect(second.requestId).not.toBe(first.requestId);
    const rows = await ctx.db.query<{ target_id: string; payload: Record<string, unknown> }>(
      `SELECT target_id, payload FROM events WHERE kind = 'impression' AND user_id = $1 ORDER BY value`,
      [viewer.id],
    );
    expect(rows.map((r) => r.target_id)).toEqual([...first.items, ...second.items].map((i) => i.userId));
    expect(rows.map((r) => r.payload.requestId)).toEqual([
      ...Array(3).fill(first.requestId),
      ...Array(3).fill(second.requestId),
    ]);
    for (const r of rows) {
      const features = r.payload.features as Record<string, number>;
      expect(Object.keys(features).sort()).toEqual([...featureNames].sort());
    }
  });

  it("trains from impressions joined to outcomes, with the features logged at the time", async () => {
    const examples = await loadTrainingExamples(ctx.db);
    expect(examples).toHaveLength(outcomes);
    expect(examples.every((e) => e.logged)).toBe(true);
    const [model] = await ctx.db.query<{ metrics: { loggedFeatureRows: number } }>(
      `SELECT metrics FROM ranker_models ORDER BY created_at DESC LIMIT 1`,
    );
    expect(model.metrics.loggedFeatureRows).toBe(examples.length);
  });

  it("fits no new version when no outcome arrived since the last one", async () => {
    const count = async () => (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ranker_models`))[0].n;
    const before = await count();
    await runBatch(ctx.db, batchJob("ranker-training", defaultJobContext()));
    expect(await count()).toBe(before);
  });

  it("rolls back to the version active before, retiring the current one and dropping cached slates", async () => {
    const history = await ctx.db.query<{ version: string }>(
      `SELECT version FROM ranker_models WHERE activated_at IS NOT NULL ORDER BY activated_at DESC`,
    );
    const [current, previous] = history.map((h) => h.version);
    expect(await rollbackRanker(ctx.db)).toEqual({ from: current, to: previous });
    const rows = await ctx.db.query<{ version: string; active: boolean; rolled_back: boolean }>(
      `SELECT version, active, rolled_back_at IS NOT NULL AS rolled_back FROM ranker_models WHERE version = ANY($1)`,
      [[current, previous]],
    );
    expect(rows.find((r) => r.version === current)).toMatchObject({ active: false, rolled_back: true });
    expect(rows.find((r) => r.version === previous)).toMatchObject({ active: true, rolled_back: false });
    expect((await ctx.db.query(`SELECT 1 FROM slate_cache`)).length).toBe(0);
    const page = await serveCandidates(ctx.db, people[people.length - 1].id, { limit: 3, offset: 0 });
    expect(page.modelVersion).toBe(previous);
  });
});
