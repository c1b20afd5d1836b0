import { beforeAll, expect, it, vi } from "vitest";
import { importExportFile } from "../../lib/connectors/import-file";
import { seedDemo } from "../../lib/demo/seed";
import { favoriteInUseSql } from "../../lib/favorites/in-use";
import { buildSlate } from "../../lib/discovery/pipeline";
import { targetFromList } from "../../lib/discovery/vote-set";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { runBatch } from "../../lib/jobs/batch";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { LOVED_SQL, NEXT_TITLES } from "../../lib/taste/next-titles";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

/**
 * Next titles (lib/taste/next-titles.ts) and the vote set they steer (lib/discovery/vote-set.ts):
 * the batch predicts titles a person does not have, and a slate's people are chosen so that the
 * titles they love (and the viewer lacks) point at those titles.
 */
describeEachDriver("next titles and vote sets", (ctx) => {
  const jobs = defaultJobContext();
  let people: string[] = [];

  const lists = async () =>
    new Map(
      (
        await ctx.db.query<{ user_id: string; items: string[] }>(
          "SELECT user_id::text, items FROM item_recommendations WHERE scenario = 'titles'",
        )
      ).map((r) => [r.user_id, r.items]),
    );

  /** How well a slate's votes (titles its people love that the viewer lacks) make the viewer's next titles. */
  const slateGain = async (viewer: string, slate: string[], target: string[]) => {
    const rows = await ctx.db.query<{ title: string; votes: number; fans: number }>(
      `WITH loved AS (
         SELECT f.user_id, f.media_id FROM favorite_items f
         WHERE f.user_id = ANY($2::uuid[]) AND ${favoriteInUseSql("f")}
         GROUP BY f.user_id, f.media_id HAVING ${LOVED_SQL})
       SELECT l.media_id::text AS title, count(*)::int AS votes,
              (SELECT count(DISTINCT user_id) FROM favorite_items WHERE media_id = l.media_id)::int AS fans
       FROM loved l
       WHERE NOT EXISTS (SELECT 1 FROM favorite_items o WHERE o.user_id = $1 AND o.media_id = l.media_id)
       GROUP BY l.media_id ORDER BY votes DESC, fans DESC, title LIMIT ${NEXT_TITLES}`,
      [viewer, slate],
    );
    const weights = targetFromList(target, NEXT_TITLES);
    return rows.reduce((s, r, rank) => s + (weights.get(r.title) ?? 0) / Math.log2(rank + 2), 0);
  };

  beforeAll(async () => {
    await seedDemo(ctx.db, { users: 120, seed: 21 });
    await runBatch(ctx.db, batchJob("taste-vectors", jobs));
    people = (await ctx.db.query<{ user_id: string }>("SELECT user_id::text FROM profiles ORDER BY user_id")).map(
      (r) => r.user_id,
    );
  });

  it("predicts for each person titles they do not have yet, at most ten", async () => {
    const byPerson = await lists();
    expect(byPerson.size, "people with next titles").toBeGreaterThan(people.length / 2);
    for (const [person, items] of byPerson) {
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThanOrEqual(NEXT_TITLES);
      const owned = await ctx.db.query(
        "SELECT 1 FROM favorite_items WHERE user_id = $1 AND media_id::text = ANY($2::text[])",
        [person, items],
      );
      expect(owned, "titles the person already has").toEqual([]);
    }
  });

  it("builds slates whose people's favorites point at the viewer's next titles better than the ranker's order", async () => {
    const byPerson = await lists();
    const viewers = [...byPerson.keys()].sort().slice(0, 40);
    let better = 0;
    let total = 0;
    for (const viewer of viewers) {
      const target = byPerson.get(viewer)!;
      const chosen = await buildSlate(ctx.db, viewer, 20, { voteSet: true });
      const ranked = await buildSlate(ctx.db, viewer, 20, { voteSet: false });
      const ids = (s: typeof chosen) => s.entries.map((e) => e.userId);
      const [withSet, without] = [
        await slateGain(viewer, ids(chosen), target),
        await slateGain(viewer, ids(ranked), target),
      ];
      total += withSet - without;
      if (withSet > without + 1e-9) better++;
    }
    expect(better, "viewers whose slate points better at their next titles").toBeGreaterThan(viewers.length / 2);
    expect(total / viewers.length, "mean DCG gained against the next titles").toBeGreaterThan(0);
  });

  it("drops a person's next titles the moment their favorites go off, and the batch leaves them out", async () => {
    const [person] = (await lists()).keys();
    const lovedRow = async () =>
      (await ctx.db.query("SELECT 1 FROM user_loved_titles WHERE user_id = $1", [person])).length > 0;
    expect(await lovedRow(), "their loved titles before").toBe(true);
    await updatePrivacySettings(ctx.db, person, { favorites: false });
    expect((await lists()).has(person)).toBe(false);
    expect(await lovedRow(), "their loved titles, which vote in others' slates").toBe(false);
    await runBatch(ctx.db, batchJob("taste-vectors", jobs));
    expect((await lists()).has(person)).toBe(false);
    expect(await lovedRow()).toBe(false);
    // Nor do their favorites vote in anyone's slate: the stage reads favorites in use only.
    await updatePrivacySettings(ctx.db, person, { favorites: true });
    await runBatch(ctx.db, batchJob("taste-vectors", jobs));
    expect((await lists()).has(person)).toBe(true);
    expect(await lovedRow()).toBe(true);
  });

  it("reads what people hold beside the viewer's titles, loved or not: a viewer who rated everything low still gets next titles", async () => {
    const ratings = async (user: string, rows: [string, number][]) => {
      const csv = [
        "Date,Name,Year,Letterboxd URI,Rating",
        ...rows.map(([name, stars]) => `2026-01-02,${name},1971,,${stars}`),
      ];
      const bytes = new TextEncoder().encode(csv.join("\n") + "\n");
      await importExportFile(ctx.db, user, "letterboxd", { name: "ratings.csv", bytes, kind: "csv" });
    };
    // People who watched the slow film did not love it either, but loved the one they watched beside it.
    const watchers = await Promise.all(
      [...Array(8).keys()].map((i) => createUser(ctx.db, { displayName: `watcher ${i}` })),
    );
    for (const w of watchers)
      await ratings(w, [
        ["The Slow Quarry", 2],
        ["The Bright Harbour", 5],
      ]);
    const viewer = await createUser(ctx.db, { displayName: "hard to please" });
    await ratings(viewer, [["The Slow Quarry", 1.5]]);
    const [harbour] = await ctx.db.query<{ media_id: string }>(
      "SELECT media_id::text FROM favorite_items WHERE user_id = $1 AND rating = 5",
      [watchers[0]],
    );
    await runBatch(ctx.db, batchJob("taste-vectors", jobs));
    expect((await lists()).get(viewer), "the viewer's next titles").toContain(harbour.media_id);
  });
});
