import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { GET as cronRoute } from "../../app/api/cron/[name]/route";
import { seedDemo } from "../../lib/demo/seed";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { runBatch } from "../../lib/jobs/batch";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { allJobHandlers } from "../../lib/job-registry/queue-handlers";
import { drainQueue } from "../../lib/jobs/worker";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { IN_PROCESS_WORKER_BUDGET_MS, IN_PROCESS_WORKER_INTERVAL_MS } from "../../lib/runtime/in-process-worker";
import { describeEachDriver } from "../helpers/drivers";
import { deliverPgNetRequests, installFakePgNet } from "../helpers/fake-pg-net";
import { pgCronJobs, vercelCrons } from "../helpers/production-schedule";
import { serveRoutesFrom } from "../helpers/route-db";
import { everyMs, exactCron, hobbyCron, waitAfter, worstMoment, type Trigger } from "../helpers/simulated-schedule";

// The spec: switching a category off stops its use at once, and the derived data follows "within
// 15 minutes". The batch half is the privacy-propagation job in the queue, so the bound is how
// long the queue can wait for a worker under the schedules actually committed (pg_cron schedules
// in the migrations, vercel.json, the in-process worker's timer). A simulated clock walks those
// schedules to the worst moment to switch off; at each firing the real thing runs (pg_cron's
// command, pg_net's request to the real cron route, Vercel's call, the in-process drain) until
// the person's derived data is gone.

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

const SECRET = "propagation-schedule-cron-secret";
const APP = "https://mesh.example/api/cron";
const FIFTEEN_MINUTES = 15 * 60_000;
const WEEK = 7 * 86_400_000;
const FROM = new Date("2026-11-30T00:00:00Z"); // a Monday

const callCron = (url: string) => {
  const name = new URL(url).pathname.split("/").pop()!;
  return cronRoute(new Request(url, { headers: { authorization: `Bearer ${SECRET}` } }), {
    params: Promise.resolve({ name }),
  });
};

function format(ms: number): string {
  const s = Math.round(ms / 1000);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return [h && `${h} h`, m && `${m} min`, sec && `${sec} s`].filter(Boolean).join(" ") || "0 s";
}

describeEachDriver("privacy propagation under the production schedule", (ctx, driver) => {
  let restore: () => void;
  let people: string[] = [];

  beforeAll(async () => {
    vi.stubEnv("CRON_SECRET", SECRET);
    vi.stubEnv("EMBEDDINGS_URL", "");
    vi.stubEnv("TRAITS_LLM_URL", "");
    restore = serveRoutesFrom(ctx.db);
    await seedDemo(ctx.db, { users: 24, seed: 16 });
    await runBatch(ctx.db, batchJob("taste-vectors", defaultJobContext()));
    await installFakePgNet(ctx.db);
    // Everything the seed queued is worked off first: each run below starts from an idle queue.
    await drainQueue(ctx.db, allJobHandlers(defaultJobContext()));
    people = (
      await ctx.db.query<{ user_id: string }>(`SELECT user_id::text FROM user_taste_vectors ORDER BY user_id LIMIT 3`)
    ).map((r) => r.user_id);
    expect(people).toHaveLength(3);
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  /** Propagation is complete when the queued job is done and the taste vector is gone. */
  async function propagated(userId: string): Promise<boolean> {
    const [row] = await ctx.db.query<{ job: string | null; vector: boolean }>(
      `SELECT (SELECT status FROM jobs WHERE kind = 'privacy-propagation' AND payload ->> 'userId' = $1
               ORDER BY id DESC LIMIT 1) AS job,
              EXISTS (SELECT 1 FROM user_taste_vectors WHERE user_id = $1::uuid) AS vector`,
      [userId],
    );
    return row.job === "done" && !row.vector;
  }

  /**
   * Switches `favorites` off at the worst moment for these triggers, then fires them in the order
   * the simulated clock meets them until propagation is complete. Returns the simulated wait.
   */
  async function measure(setup: string, userId: string, triggers: Trigger[]): Promise<{ ms: number; by: string }> {
    const switchedOff = worstMoment(triggers, FROM, WEEK);
    await updatePrivacySettings(ctx.db, userId, { favorites: false });
    let now = switchedOff;
    for (let firings = 0; firings < 100; firings++) {
      expect(await propagated(userId)).toBe(false);
      const next = waitAfter(triggers, now);
      now = next.at;
      const started = performance.now();
      await next.by.fire();
      if (await propagated(userId)) {
        const ms = now.getTime() - switchedOff.getTime();
        console.info(
          `[${driver}] ${setup}: switched off ${switchedOff.toISOString()}, propagated by ${next.by.name} at ` +
            `${now.toISOString()}: ${format(ms)} (+ ${Math.round(performance.now() - started)} ms of work)`,
        );
        return { ms, by: next.by.name };
      }
      now = new Date(now.getTime() + 1_000);
    }
    throw new Error(`${setup}: 100 firings and the queue still holds the propagation`);
  }

  const vercelWorker = (): Trigger => {
    const worker = vercelCrons().find((c) => c.path === "/api/cron/worker");
    if (!worker) throw new Error("vercel.json schedules no /api/cron/worker");
    return {
      name: `Vercel Cron ${worker.path} "${worker.cron.source}" (Hobby: within the hour)`,
      nextAfter: hobbyCron(worker.cron),
      fire: async () => {
        expect((await callCron(`${APP}/worker`)).status).toBe(200);
      },
    };
  };

  const pgCronDrains = (): Trigger[] => {
    const drains = [...pgCronJobs().values()].filter((j) => j.command.includes("mesh_wake_worker"));
    if (!drains.length) throw new Error("no pg_cron schedule in the migrations drains the job queue");
    return drains.map((job) => ({
      name: `pg_cron ${job.name} "${job.cron.source}" -> pg_net`,
      nextAfter: exactCron(job.cron),
      fire: async () => {
        // What pg_cron runs, in a session with the database settings the README asks for.
        await ctx.db.transaction(async (tx) => {
          await tx.query(
            `SELECT set_config('app.mesh_cron_url', $1, true), set_config('app.mesh_cron_secret', $2, true)`,
            [APP, SECRET],
          );
          await tx.query(`SELECT mesh_wake_worker()`);
        });
        // pg_net's background worker, after the commit.
        for (const sent of await deliverPgNetRequests(ctx.db, (req) => callCron(req.url))) {
          expect(sent).toMatchObject({ url: `${APP}/worker`, status: 200 });
        }
      },
    }));
  };

  it("Supabase with pg_net (and Vercel Hobby): within 15 minutes, by pg_cron's call to the worker", async () => {
    const result = await measure("Supabase + pg_net", people[0], [...pgCronDrains(), vercelWorker()]);
    expect(result.by).toMatch(/^pg_cron/);
    expect(result.ms).toBeLessThanOrEqual(FIFTEEN_MINUTES);
  });

  it("embedded: within 15 minutes, by the in-process worker", async () => {
    const inProcess: Trigger = {
      name: `in-process worker every ${IN_PROCESS_WORKER_INTERVAL_MS} ms`,
      nextAfter: everyMs(IN_PROCESS_WORKER_INTERVAL_MS, FROM),
      fire: async () => {
        await drainQueue(ctx.db, allJobHandlers(defaultJobContext()), { budgetMs: IN_PROCESS_WORKER_BUDGET_MS });
      },
    };
    const result = await measure("embedded", people[1], [inProcess]);
    expect(result.ms).toBeLessThanOrEqual(FIFTEEN_MINUTES);
  });

  it("Vercel Hobby without pg_net: only the daily worker cron, so up to a day and its hour", async () => {
    const result = await measure("Vercel Hobby, no pg_net", people[2], [vercelWorker()]);
    expect(result.by).toMatch(/^Vercel Cron/);
    // It does propagate, but does not meet the 15 minutes: the README says to use pg_net.
    expect(result.ms).toBeGreaterThan(FIFTEEN_MINUTES);
    expect(result.ms).toBeLessThanOrEqual(25 * 3_600_000);
  });

  it("pg_cron's call does nothing while the queue has nothing ready, and refuses to run unconfigured", async () => {
    const wake = () => ctx.db.query<{ r: string }>(`SELECT mesh_wake_worker() AS r`);
    expect(await wake()).toEqual([{ r: "idle" }]);
    await ctx.db.query(
      `INSERT INTO jobs (kind, payload, run_after) VALUES ('batch', '{"job":"traits"}', now() + interval '1 hour')`,
    );
    expect(await wake()).toEqual([{ r: "idle" }]); // a retry waiting for its back-off is not ready
    await ctx.db.query(`UPDATE jobs SET run_after = now() WHERE status = 'queued'`);
    await expect(wake()).rejects.toThrow(/app\.mesh_cron_url/);
    await ctx.db.query(`DELETE FROM jobs WHERE status = 'queued'`);
  });
});
