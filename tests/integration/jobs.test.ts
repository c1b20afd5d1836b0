import { beforeAll, expect, it, vi } from "vitest";
import { seedDemo } from "../../lib/demo/seed";
import { runBatch } from "../../lib/jobs/batch";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { enqueueJob } from "../../lib/jobs/enqueue";
import { allJobHandlers } from "../../lib/job-registry/queue-handlers";
import { queueUserReembed } from "../../lib/jobs/enqueue";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { claimJobs, drainQueue } from "../../lib/jobs/worker";
import { describeEachDriver } from "../helpers/drivers";

// Re-embedding a user from the queue runs titles, taste, profile embedding and traits: one test
// measured at 46 s on a loaded 2-core machine (files up to 2.5 min), too close to the 1 min default.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

const ctxJobs = defaultJobContext({ now: () => new Date("2026-11-25T12:00:00Z") });

describeEachDriver("batch jobs and the queue", (ctx) => {
  beforeAll(async () => {
    await seedDemo(ctx.db, { users: 120, seed: 5 });
  });

  it("resumes a killed batch from its last chunk without redoing finished users", async () => {
    const job = { ...batchJob("profile-embeddings", ctxJobs), chunkSize: 25 };
    let chunks = 0;
    await expect(
      runBatch(ctx.db, job, {
        afterChunk: () => {
          if (++chunks === 2) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    const [failed] = await ctx.db.query<{ status: string; done: number; error: string }>(
      `SELECT status, (progress ->> 'done')::int AS done, error FROM batch_runs WHERE job = 'profile-embeddings'`,
    );
    expect(failed).toEqual({ status: "failed", done: 50, error: "killed" });
    const before = await ctx.db.query<{ user_id: string; computed_at: string }>(
      `SELECT user_id::text AS user_id, computed_at::text AS computed_at FROM user_embeddings ORDER BY user_id`,
    );
    expect(before).toHaveLength(50);

    const resumed = await runBatch(ctx.db, job);
    expect(resumed.status).toBe("done");
    expect(resumed.processed).toBe(70); // 120 users, 50 already done
    const after = await ctx.db.query<{ user_id: string; computed_at: string }>(
      `SELECT user_id::text AS user_id, computed_at::text AS computed_at FROM user_embeddings ORDER BY user_id`,
    );
    expect(after).toHaveLength(120);
    // The first two chunks' users were not touched again.
    for (const row of before) expect(after.find((a) => a.user_id === row.user_id)).toEqual(row);
    const runs = await ctx.db.query<{ status: string }>(
      `SELECT status FROM batch_runs WHERE job = 'profile-embeddings'`,
    );
    expect(runs).toEqual([{ status: "done" }]);
  });

  it("stops when its time budget is spent and the next call continues where it stopped", async () => {
    const job = { ...batchJob("traits", ctxJobs), chunkSize: 40 };
    const first = await runBatch(ctx.db, job, { budgetMs: 0 });
    expect(first).toMatchObject({ status: "paused", chunks: 1, processed: 40 });
    const second = await runBatch(ctx.db, job, { budgetMs: 0 });
    expect(second).toMatchObject({ runId: first.runId, status: "paused", processed: 40 });
    expect(second.progress.done).toBe(80);
    const rest = await runBatch(ctx.db, job);
    expect(rest).toMatchObject({ runId: first.runId, status: "done", processed: 40 });
    const [row] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM user_traits`);
    expect(row.n).toBe(120);
  });

  it("claims each job once, even when two workers claim at the same moment", async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await enqueueJob(ctx.db, "connector-sync", { n: i }));
    const [a, b] = await Promise.all([
      claimJobs(ctx.db, ["connector-sync"], 4),
      claimJobs(ctx.db, ["connector-sync"], 4),
    ]);
    const claimed = [...a, ...b].map((j) => j.id).sort((x, y) => x - y);
    expect(claimed).toEqual(ids.map(Number).sort((x, y) => x - y));
    await ctx.db.query(`DELETE FROM jobs WHERE kind = 'connector-sync'`);
  });

  it("retries a failing job with growing back-off, then dead-letters it", async () => {
    const id = await enqueueJob(ctx.db, "batch", { job: "no-such-job" });
    await ctx.db.query(`UPDATE jobs SET max_attempts = 3 WHERE id = $1`, [id]);
    const handlers = allJobHandlers(ctxJobs);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await drainQueue(ctx.db, handlers);
      expect(result).toEqual(attempt < 3 ? { done: 0, retried: 1, dead: 0 } : { done: 0, retried: 0, dead: 1 });
      const [job] = await ctx.db.query<{ status: string; attempts: number; delay: number; last_error: string }>(
        `SELECT status, attempts, extract(epoch FROM run_after - updated_at)::int AS delay, last_error FROM jobs WHERE id = $1`,
        [id],
      );
      expect(job.attempts).toBe(attempt);
      expect(job.last_error).toContain("ZodError");
      if (attempt < 3) {
        expect(job.status).toBe("queued");
        delays.push(job.delay);
        // Not yet due: a worker passing by now leaves it alone.
        expect(await drainQueue(ctx.db, handlers)).toEqual({ done: 0, retried: 0, dead: 0 });
        await ctx.db.query(`UPDATE jobs SET run_after = now() WHERE id = $1`, [id]); // time passes
      } else {
        expect(job.status).toBe("dead");
      }
    }
    expect(delays).toEqual([30, 60]);
  });

  it("re-embeds a user from the queue: new titles embedded, taste vector, profile embedding and traits", async () => {
    await runBatch(ctx.db, batchJob("taste-vectors", ctxJobs));
    const userId = crypto.randomUUID();
    await ctx.db.query(`INSERT INTO auth.users (id) VALUES ($1)`, [userId]);
    await ctx.db.query(`UPDATE profiles SET hobbies = '{chess,astronomy}' WHERE user_id = $1`, [userId]);
    await ctx.db.query(
      `INSERT INTO canonical_media (id, media_type, title, year, metadata) VALUES
       ('local:new-1', 'film', 'Brand New Orbit', 2026, '{"genres":["science fiction"],"mood":["cerebral"]}')`,
    );
    await ctx.db.query(
      `INSERT INTO favorite_items (user_id, media_id, source, rating)
       SELECT $1, id, 'manual', 5 FROM canonical_media WHERE metadata -> 'genres' ? 'science fiction' ORDER BY id LIMIT 4`,
      [userId],
    );
    await ctx.db.query(`INSERT INTO favorite_items (user_id, media_id, source) VALUES ($1, 'local:new-1', 'manual')`, [
      userId,
    ]);
    const first = await queueUserReembed(ctx.db, userId);
    expect(await queueUserReembed(ctx.db, userId)).toBe(first); // ten quick edits, one job

    expect(await drainQueue(ctx.db, allJobHandlers(ctxJobs))).toEqual({ done: 1, retried: 0, dead: 0 });
    const [row] = await ctx.db.query<{ embedded: boolean; taste: boolean; profile: boolean; descriptor: string }>(
      `SELECT (SELECT embedding IS NOT NULL FROM canonical_media WHERE id = 'local:new-1') AS embedded,
              EXISTS (SELECT 1 FROM user_taste_vectors WHERE user_id = $1) AS taste,
              EXISTS (SELECT 1 FROM user_embeddings WHERE user_id = $1) AS profile,
              (SELECT traits -> 'descriptors' -> 0 ->> 'label' FROM user_traits WHERE user_id = $1) AS descriptor`,
      [userId],
    );
    expect(row).toEqual({ embedded: true, taste: true, profile: true, descriptor: expect.stringContaining("sci-fi") });
  });

  it("a pg_cron schedule's command queues its batch once, and a worker runs it", async () => {
    await ctx.db.query(`SELECT mesh_cron_dispatch('embeddings')`);
    const [{ how }] = await ctx.db.query<{ how: string }>(`SELECT mesh_cron_dispatch('embeddings') AS how`);
    expect(how).toBe("queued");
    const queued = await ctx.db.query(`SELECT id FROM jobs WHERE kind = 'batch' AND status = 'queued'`);
    expect(queued).toHaveLength(1);
    expect(await drainQueue(ctx.db, allJobHandlers(ctxJobs))).toMatchObject({ done: 1 });
    const [run] = await ctx.db.query<{ status: string }>(
      `SELECT status FROM batch_runs WHERE job = 'embeddings' ORDER BY id DESC LIMIT 1`,
    );
    expect(run.status).toBe("done");
  });
});
