import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { POST as postFeedback } from "../../app/api/v2/discovery/feedback/route";
import { signAccessToken } from "../../lib/auth/tokens";
import { seedDemo } from "../../lib/demo/seed";
import { recordFeedback } from "../../lib/discovery/feedback";
import { serveCandidates } from "../../lib/discovery/pipeline";
import { loadTrainingExamples } from "../../lib/discovery/ranker/training-data";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { runBatch } from "../../lib/jobs/batch";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { describeEachDriver } from "../helpers/drivers";
import { serveRoutesFrom } from "../helpers/route-db";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

const SECRET = "behaviour-test-secret-of-sufficient-length";

/**
 * The `behaviour` switch: from the moment it is off no impression, dwell or click is stored for
 * the person, and none of their feedback (past, or given while off) is a training label; explicit
 * actions are still stored, because the exclusions read them.
 */
describeEachDriver("switching the behaviour signal off and on", (ctx) => {
  const jobs = defaultJobContext();
  let restore: () => void;
  let viewer = "";
  let others: string[] = [];
  const behaviourRows = async (userId: string) => {
    const [row] = await ctx.db.query<{ events: number; clicks: number }>(
      `SELECT (SELECT count(*)::int FROM events WHERE user_id = $1 AND kind NOT IN ('signal_opt_out', 'signal_opt_in')) AS events,
              (SELECT count(*)::int FROM feedback WHERE user_id = $1 AND action = 'click') AS clicks`,
      [userId],
    );
    return row;
  };
  const slate = async (userId: string) => (await serveCandidates(ctx.db, userId, { limit: 10, offset: 0 })).items;

  beforeAll(async () => {
    vi.stubEnv("SUPABASE_JWT_SECRET", SECRET);
    restore = serveRoutesFrom(ctx.db);
    await seedDemo(ctx.db, { users: 40, seed: 9 });
    for (const name of ["taste-vectors", "profile-embeddings", "traits"] as const) {
      await runBatch(ctx.db, batchJob(name, jobs));
    }
    const people = await ctx.db.query<{ user_id: string }>(
      "SELECT user_id FROM user_taste_vectors ORDER BY user_id LIMIT 12",
    );
    [viewer, ...others] = people.map((p) => p.user_id);
    // The viewer and someone else both label people: the training set holds both.
    for (const [i, target] of others.slice(0, 6).entries()) {
      await recordFeedback(ctx.db, viewer, target, i % 2 ? "connect" : "pass");
      await recordFeedback(ctx.db, others[6], target, i % 2 ? "pass" : "connect");
    }
  });
  afterAll(() => {
    restore();
    vi.unstubAllEnvs();
  });

  it("logs impressions and learns from the viewer while the switch is on", async () => {
    expect((await slate(viewer)).length).toBeGreaterThan(0);
    expect((await behaviourRows(viewer)).events).toBeGreaterThan(0);
    expect(await loadTrainingExamples(ctx.db)).toHaveLength(12);
  });

  it("stores no impression, dwell or click once it is off, but still stores and honours a pass", async () => {
    await updatePrivacySettings(ctx.db, viewer, { behaviour: false });
    const before = await behaviourRows(viewer);
    // A fresh slate, then the cached page: neither logs an impression.
    const shown = await slate(viewer);
    expect(shown.length).toBeGreaterThan(0);
    await slate(viewer);
    await ctx.db.query("INSERT INTO events (user_id, kind, target_id, value) VALUES ($1, 'dwell', $2, 3.5)", [
      viewer,
      shown[0].userId,
    ]);
    const click = await postFeedback(
      new Request("http://localhost/api/v2/discovery/feedback", {
        method: "POST",
        headers: { authorization: `Bearer ${await signAccessToken(viewer)}`, "content-type": "application/json" },
        body: JSON.stringify({ targetId: shown[0].userId, action: "click" }),
      }),
    );
    expect(click.status).toBe(202);
    expect(await click.json()).toEqual({ recorded: false, id: null });
    expect(await behaviourRows(viewer)).toEqual(before);

    // An explicit pass is stored, and the passed person leaves the slate.
    const passed = shown[0].userId;
    expect(await recordFeedback(ctx.db, viewer, passed, "pass")).not.toBeNull();
    expect((await slate(viewer)).map((e) => e.userId)).not.toContain(passed);
  });

  it("leaves the viewer's feedback out of the training set, including what they did while it was off", async () => {
    // Only the other person's six labels remain.
    expect(await loadTrainingExamples(ctx.db)).toHaveLength(6);
    await updatePrivacySettings(ctx.db, viewer, { behaviour: true });
    // Back on: the viewer's earlier labels count again, the pass made while off never does.
    expect(await loadTrainingExamples(ctx.db)).toHaveLength(12);
    const [{ n }] = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM feedback WHERE user_id = $1 AND action = 'pass'",
      [viewer],
    );
    expect(n).toBe(4);
  });
});
