import { beforeAll, expect, it, vi } from "vitest";
import { seedDemo } from "../../lib/demo/seed";
import { serveCandidates } from "../../lib/discovery/pipeline";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { allJobHandlers } from "../../lib/job-registry/queue-handlers";
import { reembedUser } from "../../lib/job-registry/reembed-user";
import { runBatch } from "../../lib/jobs/batch";
import { drainQueue } from "../../lib/jobs/worker";
import { privacyCategories, type PrivacyCategory } from "../../lib/privacy/categories";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { describeEachDriver } from "../helpers/drivers";
import { randomUUID } from "node:crypto";
import { ingestEvents } from "../../lib/events/ingest";
import { nextTitlesPhase } from "../../lib/taste/next-titles";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

/**
 * The deletion scan's twin for the privacy switches. For every category: switch it off, run the
 * propagation (the queue worker), then check table by table that nothing derived from that
 * category is left. "Nothing derived" is checked against a counterfactual: the person's taste
 * vector, traits and profile embedding must equal what the same code computes for them with the
 * category on and its source data gone (computed in a transaction that is rolled back). The caches
 * (slate_cache, why_cache) must hold nothing about them built before the switch, and the events
 * table nothing behavioural stored after it while behaviour is off.
 */

/** What each category's source data is, as statements that remove it for user $1. */
const removeSource: Record<PrivacyCategory, string[]> = {
  favorites: ["DELETE FROM favorite_items WHERE user_id = $1"],
  connectors: ["DELETE FROM favorite_items WHERE user_id = $1 AND source = 'spotify'"],
  interests: ["UPDATE profiles SET hobbies = '{}', communities = '{}' WHERE user_id = $1"],
  behaviour: [
    "DELETE FROM events WHERE user_id = $1 AND kind NOT IN ('signal_opt_out', 'signal_opt_in')",
    "DELETE FROM feedback WHERE user_id = $1",
  ],
  location: ["UPDATE profiles SET lat = NULL, lon = NULL WHERE user_id = $1"],
  // Being shown to others feeds nothing the person owns; the caches below are its whole scan.
  discoverable: [],
  // Product lists are deleted when it goes off (tests/integration/products.test.ts); nothing here derives from it.
  recommendations: [],
};

interface Derived {
  taste: string | null;
  profile: string | null;
  traits: unknown;
  traitsMedia: string[] | null;
}

describeEachDriver("privacy propagation, table by table", (ctx) => {
  const jobs = defaultJobContext();
  let person = "";
  let viewers: string[] = [];

  const derived = async (db = ctx.db as Pick<typeof ctx.db, "query">): Promise<Derived> => {
    const [row] = await db.query<Derived>(
      `SELECT (SELECT taste::text FROM user_taste_vectors WHERE user_id = $1) AS taste,
              (SELECT embedding::text FROM user_embeddings WHERE user_id = $1) AS profile,
              (SELECT traits FROM user_traits WHERE user_id = $1) AS traits,
              (SELECT source_media FROM user_traits WHERE user_id = $1) AS "traitsMedia"`,
      [person],
    );
    return row;
  };
  /** The person's derived data had the category been on and its source data never held. */
  const counterfactual = async (category: PrivacyCategory): Promise<Derived> => {
    let result: Derived | undefined;
    const rollback = new Error("rollback");
    await ctx.db
      .transaction(async (tx) => {
        await tx.query("DELETE FROM privacy_settings WHERE user_id = $1 AND category = $2", [person, category]);
        for (const sql of removeSource[category]) await tx.query(sql, [person]);
        await reembedUser(tx, jobs, person, { forceTraits: true });
        result = await derived(tx);
        throw rollback;
      })
      .catch((err) => {
        if (err !== rollback) throw err;
      });
    return result!;
  };
  const close = (a: string | null, b: string | null, what: string) => {
    expect(a === null, `${what}: present in one and not the other`).toBe(b === null);
    if (a === null || b === null) return;
    const [x, y] = [JSON.parse(a) as number[], JSON.parse(b) as number[]];
    expect(Math.max(...x.map((v, i) => Math.abs(v - y[i]))), what).toBeLessThan(1e-5);
  };
  /** Cached slates and explanations of, or showing, the person (why rows keyed by their expiry). */
  const caches = async () => {
    const slates = await ctx.db.query<{ key: string }>(
      `SELECT viewer_id::text || '@' || generated_at::text AS key FROM slate_cache
       WHERE viewer_id = $1 OR payload -> 'ids' ? $1::text`,
      [person],
    );
    const why = await ctx.db.query<{ key: string }>(
      `SELECT viewer_id::text || '>' || target_id::text || '@' || expires_at::text AS key FROM why_cache
       WHERE viewer_id = $1 OR target_id = $1`,
      [person],
    );
    return [...slates, ...why].map((r) => r.key);
  };
  /** The person's next titles (lib/taste/next-titles.ts), predicted from their favorites. */
  const nextTitles = async () => {
    const [row] = await ctx.db.query<{ items: string[] }>(
      "SELECT items FROM item_recommendations WHERE user_id = $1 AND scenario = 'titles'",
      [person],
    );
    return row?.items ?? null;
  };
  const writeNextTitles = () =>
    runBatch(ctx.db, { name: "next-titles", chunkSize: 500, phases: [nextTitlesPhase(jobs.now)] });
  const behaviourSince = async (since: Date) => {
    const [row] = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events
       WHERE user_id = $1 AND created_at >= $2 AND kind NOT IN ('signal_opt_out', 'signal_opt_in')`,
      [person, since],
    );
    return row.n;
  };
  /** Everyone's slates are built (so some show the person) and explanations cached. */
  const serveEveryone = async () => {
    for (const v of [person, ...viewers]) await serveCandidates(ctx.db, v, { limit: 20, offset: 0 });
  };

  beforeAll(async () => {
    await seedDemo(ctx.db, { users: 40, seed: 13 });
    const people = await ctx.db.query<{ user_id: string }>(
      `SELECT p.user_id FROM profiles p
       WHERE p.lat IS NOT NULL AND cardinality(p.hobbies) > 0
         AND (SELECT count(*) FROM favorite_items f WHERE f.user_id = p.user_id) >= 6
       ORDER BY p.user_id LIMIT 8`,
    );
    [person, ...viewers] = people.map((p) => p.user_id);
    // Favorites a connector synced (titles others love, so they are shared), and some behaviour.
    await ctx.db.query(
      `INSERT INTO favorite_items (user_id, media_id, source, rating, liked)
       SELECT $1, media_id, 'spotify', 5, true FROM (
         SELECT DISTINCT f.media_id FROM favorite_items f
         WHERE f.user_id = ANY($2::uuid[])
           AND f.media_id NOT IN (SELECT media_id FROM favorite_items WHERE user_id = $1)
         ORDER BY f.media_id LIMIT 6) m`,
      [person, viewers],
    );
    await ctx.db.query(
      `INSERT INTO events (user_id, kind, target_id, value)
       SELECT $1, 'dwell', v::text, 4 FROM unnest($2::uuid[]) v`,
      [person, viewers],
    );
    await ingestEvents(
      ctx.db,
      { userId: person },
      viewers.map((v) => ({
        id: randomUUID(),
        kind: "dwell" as const,
        targetType: "person" as const,
        targetId: v,
        dwellMs: 2500,
        clientTime: new Date().toISOString(),
      })),
    );
    await ctx.db.query("INSERT INTO feedback (user_id, target_user_id, action) VALUES ($1, $2, 'click')", [
      person,
      viewers[0],
    ]);
    for (const name of ["taste-vectors", "profile-embeddings", "traits"] as const) {
      await runBatch(ctx.db, batchJob(name, jobs));
    }
    await drainQueue(ctx.db, allJobHandlers(jobs));
    expect(await nextTitles(), "the person's next titles after the batch").not.toBeNull();
  });

  for (const category of privacyCategories) {
    it(`${category} off: nothing derived from it is left in any table or cache`, async () => {
      await serveEveryone();
      const cachedBefore = await caches();
      expect(cachedBefore.length, "the person is cached somewhere before the switch").toBeGreaterThan(0);
      const switched = new Date();
      await updatePrivacySettings(ctx.db, person, { [category]: false });
      expect(await drainQueue(ctx.db, allJobHandlers(jobs))).toMatchObject({ retried: 0, dead: 0 });

      const expected = await counterfactual(category);
      const after = await derived();
      close(after.taste, expected.taste, "user_taste_vectors");
      close(after.profile, expected.profile, "user_embeddings");
      expect(after.traits, "user_traits").toEqual(expected.traits);
      expect(after.traitsMedia, "user_traits.source_media").toEqual(expected.traitsMedia);
      if (category === "favorites" || category === "connectors" || category === "recommendations") {
        expect(await nextTitles(), "item_recommendations (titles)").toBeNull();
      }
      if (category === "favorites" || category === "connectors") {
        const loved = await ctx.db.query("SELECT 1 FROM user_loved_titles WHERE user_id = $1", [person]);
        expect(loved, "user_loved_titles").toEqual([]);
      }
      const kept = (await caches()).filter((key) => cachedBefore.includes(key));
      expect(kept, "slate_cache / why_cache entries built before the switch").toEqual([]);

      // Serving again stores nothing behavioural about them while behaviour is off.
      await serveEveryone();
      if (category === "behaviour") {
        expect(await behaviourSince(switched), "events").toBe(0);
        for (const table of ["behaviour_recent", "behaviour_dwell_daily", "behaviour_target_counts"]) {
          const [row] = await ctx.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`,
            [person],
          );
          expect(row.n, table).toBe(0);
        }
      }

      // Back on for the next category; its data returns from what is still held.
      await updatePrivacySettings(ctx.db, person, { [category]: true });
      await drainQueue(ctx.db, allJobHandlers(jobs));
      await writeNextTitles();
      expect(await nextTitles(), "next titles written again with the category back on").not.toBeNull();
    });
  }
});
