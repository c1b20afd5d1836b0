import { beforeAll, expect, it, vi } from "vitest";
import { seedDemo } from "../../lib/demo/seed";
import { runCron } from "../../lib/job-registry/cron";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { allJobHandlers } from "../../lib/job-registry/queue-handlers";
import { drainQueue } from "../../lib/jobs/worker";
import { describeEachDriver } from "../helpers/drivers";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

const jobCtx = defaultJobContext({ now: () => new Date("2026-11-29T05:30:00Z") });

describeEachDriver("a cron batch that runs out of time", (ctx) => {
  beforeAll(async () => {
    // 60 people, and the traits batch works in chunks of 50: one cron call cannot finish it.
    await seedDemo(ctx.db, { users: 60, seed: 11 });
  });

  it("queues its continuation, so the queue worker finishes it the same night, not at the next trigger", async () => {
    const first = await runCron(ctx.db, "traits", { budgetMs: 0, ctx: jobCtx });
    expect(first).toMatchObject({ job: "traits", status: "paused", processed: 50 });
    const withTraits = async () =>
      (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM user_traits`))[0].n;
    expect(await withTraits()).toBe(50);

    // No further cron call: only the queue worker (pg_cron -> pg_net every minute, or in-process).
    await drainQueue(ctx.db, allJobHandlers(jobCtx));
    expect(await withTraits()).toBe(60);
    const runs = await ctx.db.query<{ status: string }>(`SELECT status FROM batch_runs WHERE job = 'traits'`);
    expect(runs).toEqual([{ status: "done" }]);
    // Finished: nothing is left in the queue to run it again.
    const queued = await ctx.db.query(`SELECT id FROM jobs WHERE kind = 'batch' AND status = 'queued'`);
    expect(queued).toEqual([]);
  });

  it("does not start the batch over when the next cron call finished the run first", async () => {
    const paused = await runCron(ctx.db, "traits", { budgetMs: 0, ctx: jobCtx });
    expect(paused).toMatchObject({ status: "paused" });
    // The next trigger comes before any worker call and finishes the run itself.
    await runCron(ctx.db, "traits", { ctx: jobCtx });
    const runsBefore = await ctx.db.query(`SELECT id, status FROM batch_runs WHERE job = 'traits' ORDER BY id`);
    expect(await drainQueue(ctx.db, allJobHandlers(jobCtx))).toMatchObject({ done: 1, dead: 0 });
    expect(await ctx.db.query(`SELECT id, status FROM batch_runs WHERE job = 'traits' ORDER BY id`)).toEqual(
      runsBefore,
    );
  });
});
