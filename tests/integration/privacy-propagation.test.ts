import { beforeAll, expect, it, vi } from "vitest";
import { seedDemo } from "../../lib/demo/seed";
import { serveCandidates } from "../../lib/discovery/pipeline";
import type { SlateEntry } from "../../lib/discovery/types";
import { allJobHandlers } from "../../lib/job-registry/queue-handlers";
import { runBatch } from "../../lib/jobs/batch";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { drainQueue } from "../../lib/jobs/worker";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { describeEachDriver } from "../helpers/drivers";

// Seeds 120 people and builds their taste and profile vectors before the tests: set-up measured
// 15 s to over a minute per driver on a loaded 2-core machine (files up to 2.7 min).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

// Reasons that come from what a person loves: with `favorites` off, none may be shown about them.
const TASTE_REASONS = new Set(["shared_favorite", "shared_trait", "similar_taste"]);
const tasteReasons = (e: SlateEntry | undefined) => (e?.reasons ?? []).filter((r) => TASTE_REASONS.has(r.kind));

describeEachDriver("switching the favorites signal off and on", (ctx) => {
  const jobs = defaultJobContext();
  let viewer = "";
  let target = "";
  const slateOf = async (userId: string) => (await serveCandidates(ctx.db, userId, { limit: 50, offset: 0 })).items;
  const derived = async (userId: string) => {
    const [row] = await ctx.db.query<{ taste: number; traits: number }>(
      `SELECT (SELECT count(*)::int FROM user_taste_vectors WHERE user_id = $1) AS taste,
              (SELECT count(*)::int FROM user_traits WHERE user_id = $1) AS traits`,
      [userId],
    );
    return row;
  };

  beforeAll(async () => {
    await seedDemo(ctx.db, { users: 120, seed: 21 });
    for (const name of ["taste-vectors", "profile-embeddings", "traits"] as const) {
      await runBatch(ctx.db, batchJob(name, jobs));
    }
    // A viewer, and someone in their slate who is there because of taste.
    const viewers = await ctx.db.query<{ user_id: string }>(
      "SELECT user_id FROM user_taste_vectors ORDER BY user_id LIMIT 20",
    );
    for (const { user_id } of viewers) {
      const match = (await slateOf(user_id)).find((e) => tasteReasons(e).length > 0);
      if (match) {
        viewer = user_id;
        target = match.userId;
        break;
      }
    }
    expect(target, "some viewer's slate shows someone for their taste").not.toBe("");
  });

  it("stops using the signal on the very next request, before any batch has run", async () => {
    expect(await derived(target)).toEqual({ taste: 1, traits: 1 });
    await updatePrivacySettings(ctx.db, target, { favorites: false });
    // Others are no longer told anything about the target's taste...
    const seenByViewer = (await slateOf(viewer)).find((e) => e.userId === target);
    expect(tasteReasons(seenByViewer)).toEqual([]);
    // ...and the target is matched without their taste.
    const own = await slateOf(target);
    expect(own.length).toBeGreaterThan(0);
    expect(own.flatMap(tasteReasons)).toEqual([]);
  });

  it("removes the derived data when the propagation job runs, and restores it when switched back on", async () => {
    await drainQueue(ctx.db, allJobHandlers(jobs));
    expect(await derived(target)).toEqual({ taste: 0, traits: 0 });
    await updatePrivacySettings(ctx.db, target, { favorites: true });
    await drainQueue(ctx.db, allJobHandlers(jobs));
    expect(await derived(target)).toEqual({ taste: 1, traits: 1 });
  });
});
