import { expect, it } from "vitest";
import { dueBatchJobs, EMBEDDED_SCHEDULE, runEmbeddedSchedule } from "../../lib/runtime/embedded-schedule";
import { describeEachDriver } from "../helpers/drivers";

const DAY = 86_400_000;

describeEachDriver("embedded-mode schedule", (ctx) => {
  it("runs each batch once per period, resumes unfinished ones, and retries a failure only next period", async () => {
    const start = new Date("2026-11-25T10:00:00Z");
    // Nothing has ever run: everything is due.
    expect(await dueBatchJobs(ctx.db, start)).toEqual(EMBEDDED_SCHEDULE.map((s) => s.job));

    // Record runs as the batches would: embeddings done an hour ago, traits failed an hour ago,
    // taste vectors left unfinished by an earlier pass, the rest done two days ago.
    const hourAgo = new Date(start.getTime() - 3_600_000);
    const twoDaysAgo = new Date(start.getTime() - 2 * DAY);
    for (const [job, status, at] of [
      ["embeddings", "done", hourAgo],
      ["traits", "failed", hourAgo],
      ["taste-vectors", "running", hourAgo],
      ["media-refresh", "done", twoDaysAgo],
      ["profile-embeddings", "done", twoDaysAgo],
      ["ranker-training", "done", twoDaysAgo],
      ["behaviour-aggregates", "done", new Date(start.getTime() - 60_000)],
      ["events-maintain", "done", hourAgo],
      ["safety-scores", "done", hourAgo],
      ["fairness-report", "done", twoDaysAgo],
      ["product-recommendations", "done", hourAgo],
      ["coverage-report", "done", twoDaysAgo],
      ["product-metrics", "done", hourAgo],
      ["stream-feeds", "done", hourAgo],
    ] as const) {
      await ctx.db.query(`INSERT INTO batch_runs (job, status, started_at) VALUES ($1, $2, $3)`, [job, status, at]);
    }
    // Daily ones from two days ago and the 30-minute ranker training are due, the weekly fairness report is not, the
    // failure waits a week, the 5-minute aggregates refreshed a minute ago are not.
    expect((await dueBatchJobs(ctx.db, start)).sort()).toEqual([
      "media-refresh",
      "profile-embeddings",
      "ranker-training",
      "taste-vectors",
    ]);
    expect(await dueBatchJobs(ctx.db, new Date(start.getTime() + 8 * DAY))).toContain("traits");
    expect(await dueBatchJobs(ctx.db, new Date(start.getTime() + 5 * 60_000))).toContain("behaviour-aggregates");
  });

  it("a pass works on the due batches, records them, and analyzes once a day", async () => {
    await ctx.db.query(`DELETE FROM batch_runs`);
    const now = new Date();
    const first = await runEmbeddedSchedule(ctx.db, { now, budgetMs: 5_000, lastAnalyzeAt: null });
    expect(first.analyzed).toBe(true);
    // On an empty catalogue the embeddings batch has nothing to do and finishes.
    expect(first.ran).toContain("embeddings");
    const [embeddings] = await ctx.db.query<{ status: string }>(
      `SELECT status FROM batch_runs WHERE job = 'embeddings' ORDER BY id DESC LIMIT 1`,
    );
    expect(embeddings.status).toBe("done");

    const again = await runEmbeddedSchedule(ctx.db, { now, budgetMs: 5_000, lastAnalyzeAt: now });
    expect(again.ran).not.toContain("embeddings");
    expect(again.analyzed).toBe(false);
  });
});
