import { beforeAll, expect, it, vi } from "vitest";
import { invalidateAllSlates } from "../../lib/discovery/slate-cache";
import type { Db } from "../../lib/db/types";
import { fromVectorColumn } from "../../lib/db/vector";
import { seedDemo } from "../../lib/demo/seed";
import { serveCandidates } from "../../lib/discovery/pipeline";
import { cosine } from "../../lib/embeddings/hashed-directions";
import { runBatch } from "../../lib/jobs/batch";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { queueUserReembed } from "../../lib/jobs/enqueue";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { updatePrivacySettings } from "../../lib/privacy/settings";
import { bulkBuildInProgress, shouldBuildInBulk } from "../../lib/taste/bulk-build";
import { currentModel, ensureModel } from "../../lib/taste/pca-model";
import { computeTasteVectors } from "../../lib/taste/taste-vectors";
import { describeEachDriver } from "../helpers/drivers";

// Each test builds, resumes or refits every taste vector of 150 people: single tests measured at
// 35-45 s on a loaded 2-core machine (files of 3 min), too close to the integration default of 1 min.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

const NOW = new Date("2026-11-26T12:00:00Z");
const ctxAt = defaultJobContext({ now: () => NOW });

async function vectors(db: Db): Promise<Map<string, { v: number[]; model: string }>> {
  const rows = await db.query<{ user_id: string; taste: string; model_version: string }>(
    `SELECT user_id::text AS user_id, taste::text AS taste, model_version FROM user_taste_vectors`,
  );
  return new Map(rows.map((r) => [r.user_id, { v: fromVectorColumn(r.taste), model: r.model_version }]));
}

/** What a user of the serving table would notice if the swap lost a key, the index or RLS. */
async function servingTableShape(db: Db) {
  const [row] = await db.query<{ indexes: string[]; constraints: string[]; rls: boolean }>(
    `SELECT (SELECT array_agg(indexname::text || ':' || (indexdef ILIKE '%USING hnsw%')::text ORDER BY indexname)
             FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'user_taste_vectors') AS indexes,
            (SELECT array_agg(conname::text || ':' || contype::text ORDER BY conname) FROM pg_constraint
             WHERE conrelid = 'public.user_taste_vectors'::regclass) AS constraints,
            (SELECT relrowsecurity FROM pg_class WHERE oid = 'public.user_taste_vectors'::regclass) AS rls`,
  );
  return row;
}

/** The viewer's taste neighbours as discovery serves them (HNSW through discovery_ann). */
async function tasteNeighbours(db: Db, viewer: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT candidate_id::text AS id FROM discovery_ann($1,
       (SELECT taste FROM user_taste_vectors WHERE user_id = $1), NULL::vector, 200, 0)
     WHERE found_by = 'taste'`,
    [viewer],
  );
  return rows.map((r) => r.id);
}

async function usersInIdOrder(db: Db): Promise<string[]> {
  const rows = await db.query<{ id: string }>(`SELECT user_id::text AS id FROM profiles ORDER BY user_id`);
  return rows.map((r) => r.id);
}

describeEachDriver("taste vectors: bulk build (first build or refit)", (ctx) => {
  beforeAll(async () => {
    await seedDemo(ctx.db, { users: 150, seed: 23 });
  });

  it("builds into an unindexed table, indexes it once and swaps it in: the same vectors as per row", async () => {
    const perRow = await runBatch(ctx.db, batchJob("taste-vectors", ctxAt, { bulk: "never" }));
    expect(perRow.status).toBe("done");
    const expected = await vectors(ctx.db);
    expect(expected.size).toBeGreaterThan(100);
    const shapeBefore = await servingTableShape(ctx.db);
    const viewer = [...expected.keys()][0];
    // Plans of discovery_ann cached on these connections before the swap must not outlive it.
    const before = await tasteNeighbours(ctx.db, viewer);
    expect(before.length).toBeGreaterThan(20);
    expect((await serveCandidates(ctx.db, viewer, { limit: 10, offset: 0 })).items.length).toBe(10);

    const bulk = await runBatch(ctx.db, batchJob("taste-vectors", ctxAt, { bulk: "always" }));
    expect(bulk.status).toBe("done");
    expect(await bulkBuildInProgress(ctx.db)).toBe(false);
    const built = await vectors(ctx.db);
    expect([...built.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, { v, model }] of built) {
      expect(model).toBe(expected.get(id)!.model);
      expect(cosine(v, expected.get(id)!.v)).toBeGreaterThan(1 - 1e-5);
    }
    // Same keys, the HNSW index under its own name, RLS on: the table is the one the migrations made.
    expect(await servingTableShape(ctx.db)).toEqual(shapeBefore);
    expect(shapeBefore.indexes).toEqual(["user_taste_vectors_pkey:false", "user_taste_vectors_taste_hnsw:true"]);
    expect(shapeBefore.rls).toBe(true);

    const after = await tasteNeighbours(ctx.db, viewer);
    const kept = after.filter((id) => before.includes(id)).length;
    expect(kept).toBeGreaterThanOrEqual(0.9 * before.length);
    await invalidateAllSlates(ctx.db);
    const served = await serveCandidates(ctx.db, viewer, { limit: 10, offset: 0 });
    expect(served.cached).toBe(false);
    expect(served.items.length).toBe(10);
    // The foreign key came along: deleting an account still removes its vector.
    const gone = [...built.keys()][1];
    await ctx.db.query(`DELETE FROM auth.users WHERE id = $1`, [gone]);
    expect((await vectors(ctx.db)).has(gone)).toBe(false);
  });

  it("serves the old vectors until the swap, resumes a killed build, and catches up changes made during it", async () => {
    const oldModel = (await currentModel(ctx.db))!;
    const old = await vectors(ctx.db);
    const ids = await usersInIdOrder(ctx.db);
    // Users of the first chunk: their build rows are written before the changes below.
    const [optedOut, grew, deleted] = ids.filter((id) => old.has(id)).slice(0, 3);
    const newcomer = ids.find((id) => !old.has(id));

    let killed = false;
    await expect(
      runBatch(ctx.db, batchJob("taste-vectors", ctxAt, { refit: true, bulk: "always" }), {
        chunkSize: 40,
        afterChunk: (p) => {
          if (p.phaseName === "taste vectors" && p.done >= 40) {
            killed = true;
            throw new Error("killed mid-build");
          }
        },
      }),
    ).rejects.toThrow("killed mid-build");
    expect(killed).toBe(true);
    const model = (await currentModel(ctx.db))!;
    expect(model.version).not.toBe(oldModel.version);
    expect(await bulkBuildInProgress(ctx.db)).toBe(true);
    const [{ n: buildRows }] = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM user_taste_vectors_build`,
    );
    expect(buildRows).toBeGreaterThan(0);
    expect(buildRows).toBeLessThan(old.size);
    // Serving is untouched: every old vector, still under the old model.
    const during = await vectors(ctx.db);
    expect(during.size).toBe(old.size);
    expect(new Set([...during.values()].map((r) => r.model))).toEqual(new Set([oldModel.version]));

    // Changes while the build runs: favorites switched off, a new favorite, a deleted account.
    await updatePrivacySettings(ctx.db, optedOut, { favorites: false });
    const [{ media_id: added }] = await ctx.db.query<{ media_id: string }>(
      `SELECT id AS media_id FROM canonical_media WHERE id NOT IN
         (SELECT media_id FROM favorite_items WHERE user_id = $1) ORDER BY id LIMIT 1`,
      [grew],
    );
    await ctx.db.query(
      `INSERT INTO favorite_items (user_id, media_id, source, rating, liked, added_at)
       VALUES ($1, $2, 'manual', 5, true, $3)`,
      [grew, added, NOW],
    );
    await queueUserReembed(ctx.db, grew);
    await ctx.db.query(`DELETE FROM auth.users WHERE id = $1`, [deleted]);

    const resumed = await runBatch(ctx.db, batchJob("taste-vectors", ctxAt, { bulk: "always" }), { chunkSize: 40 });
    expect(resumed.status).toBe("done");
    expect(await bulkBuildInProgress(ctx.db)).toBe(false);
    const now = await vectors(ctx.db);
    expect(new Set([...now.values()].map((r) => r.model))).toEqual(new Set([model.version]));
    expect(now.has(optedOut)).toBe(false);
    expect(now.has(deleted)).toBe(false);
    expect(now.has(grew)).toBe(true);
    if (newcomer) expect(now.has(newcomer)).toBe(false);
    // Every stored vector is what a per-row run computes now: nothing stale survived the swap.
    const remaining = await usersInIdOrder(ctx.db);
    const recheck = await ctx.db.transaction((tx) => computeTasteVectors(tx, model, remaining, NOW));
    expect(recheck.changed).toBe(0);
    expect(recheck.written).toBe(now.size);
  });

  it("chooses the bulk path by itself for a refit, not for people who have no favorites", async () => {
    const minUsers = 10; // BULK_MIN_USERS is 20,000; the rule is the same at this size
    const model = (await currentModel(ctx.db))!;
    expect(await shouldBuildInBulk(ctx.db, model, "auto", minUsers)).toBe(false);
    // Many people without favorites never get a vector: they are no backlog.
    await ctx.db.query(`INSERT INTO auth.users (id) SELECT gen_random_uuid() FROM generate_series(1, 300)`);
    expect(await shouldBuildInBulk(ctx.db, model, "auto", minUsers)).toBe(false);
    expect(await shouldBuildInBulk(ctx.db, model, "always", minUsers)).toBe(true);
    // A refit leaves every vector under the old model: rebuild in bulk.
    const refit = (await ensureModel(ctx.db, { refit: true }))!;
    expect(refit.version).not.toBe(model.version);
    expect(await shouldBuildInBulk(ctx.db, refit, "auto", minUsers)).toBe(true);
    expect(await shouldBuildInBulk(ctx.db, refit, "never", minUsers)).toBe(false);
  });
});
