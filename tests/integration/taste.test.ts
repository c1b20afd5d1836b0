import { beforeAll, expect, it } from "vitest";
import type { Queryable } from "../../lib/db/types";
import { fromVectorColumn } from "../../lib/db/vector";
import { seedDemo } from "../../lib/demo/seed";
import { cosine } from "../../lib/embeddings/hashed-directions";
import { runBatch } from "../../lib/jobs/batch";
import { defaultJobContext } from "../../lib/jobs/context";
import { batchJob } from "../../lib/jobs/registry";
import { currentModel, type TasteModel } from "../../lib/taste/pca-model";
import { computeTasteVectors } from "../../lib/taste/taste-vectors";
import { describeEachDriver } from "../helpers/drivers";

const NOW = new Date("2026-11-25T12:00:00Z");
const DAY = 86_400_000;

/** Mean cosine within planted communities minus mean cosine across them. */
function communityMargin(users: { community: string; v: number[] }[]): { within: number; between: number } {
  let within = 0;
  let nw = 0;
  let between = 0;
  let nb = 0;
  for (let i = 0; i < users.length; i++) {
    for (let j = i + 1; j < users.length; j++) {
      const c = cosine(users[i].v, users[j].v);
      if (users[i].community === users[j].community) {
        within += c;
        nw++;
      } else {
        between += c;
        nb++;
      }
    }
  }
  return { within: within / nw, between: between / nb };
}

/** Deterministic stand-in for a broken pipeline: vectors that ignore taste. */
function randomVectors(n: number, dims: number): number[][] {
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return Array.from({ length: n }, () => Array.from({ length: dims }, next));
}

async function newUser(db: Queryable): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(`INSERT INTO auth.users (id) VALUES ($1)`, [id]);
  return id;
}

async function addFavorites(
  db: Queryable,
  userId: string,
  items: { mediaId: string; rating?: number | null; liked?: boolean; addedAt: Date }[],
): Promise<void> {
  for (const f of items) {
    await db.query(
      `INSERT INTO favorite_items (user_id, media_id, source, rating, liked, added_at) VALUES ($1, $2, 'manual', $3, $4, $5)`,
      [userId, f.mediaId, f.rating ?? null, f.liked ?? false, f.addedAt],
    );
  }
}

async function titlesWithGenre(db: Queryable, genre: string, n: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM canonical_media WHERE metadata -> 'genres' ? $1 AND media_type = 'film' ORDER BY id LIMIT $2`,
    [genre, n],
  );
  return rows.map((r) => r.id);
}

async function centroid(db: Queryable, model: TasteModel, ids: string[]): Promise<number[]> {
  const rows = await db.query<{ projection: string }>(
    `SELECT projection::text AS projection FROM media_taste_projections WHERE model_version = $1 AND media_id = ANY($2::text[])`,
    [model.version, ids],
  );
  const sum = new Array<number>(model.outDims).fill(0);
  for (const r of rows) fromVectorColumn(r.projection).forEach((x, k) => (sum[k] += x / rows.length));
  return sum;
}

async function tasteOf(db: Queryable, userId: string): Promise<number[] | null> {
  const [row] = await db.query<{ taste: string }>(
    `SELECT taste::text AS taste FROM user_taste_vectors WHERE user_id = $1`,
    [userId],
  );
  return row ? fromVectorColumn(row.taste) : null;
}

describeEachDriver("taste vectors", (ctx) => {
  let model: TasteModel;
  let horror: string[];
  let romance: string[];

  beforeAll(async () => {
    await seedDemo(ctx.db, { users: 300, seed: 11 });
    const outcome = await runBatch(ctx.db, batchJob("taste-vectors", defaultJobContext({ now: () => NOW })));
    expect(outcome.status).toBe("done");
    model = (await currentModel(ctx.db))!;
    horror = await titlesWithGenre(ctx.db, "horror", 6);
    romance = await titlesWithGenre(ctx.db, "romance", 6);
  });

  it("stores a 768 -> 256 PCA model and one projection per embedded title", async () => {
    expect(model.inDims).toBe(768);
    expect(model.outDims).toBe(256);
    // Components are ordered by variance explained, and the leading ones carry most of it.
    const ev = model.explainedVariance;
    expect(ev[0]).toBeGreaterThanOrEqual(ev[1]);
    expect(ev.slice(0, 256).reduce((a, b) => a + b, 0)).toBeGreaterThan(0.9);
    const [row] = await ctx.db.query<{ titles: number; projected: number }>(
      `SELECT (SELECT count(*)::int FROM canonical_media WHERE embedding IS NOT NULL) AS titles,
              (SELECT count(*)::int FROM media_taste_projections WHERE model_version = $1) AS projected`,
      [model.version],
    );
    expect(row.titles).toBeGreaterThan(500);
    expect(row.projected).toBe(row.titles);
  });

  it("puts people of one planted taste community nearer each other than to others", async () => {
    const rows = await ctx.db.query<{ community: string; taste: string; model_version: string }>(
      `SELECT u.raw_user_meta_data ->> 'demo_community' AS community, t.taste::text AS taste, t.model_version
       FROM user_taste_vectors t JOIN auth.users u ON u.id = t.user_id`,
    );
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.model_version))).toEqual(new Set([model.version]));
    const users = rows.map((r) => ({ community: r.community, v: fromVectorColumn(r.taste) }));
    for (const u of users) expect(Math.hypot(...u.v)).toBeCloseTo(1, 4);
    const real = communityMargin(users);
    // Random vectors (what a broken pipeline produces) have no such gap: the same check fails.
    const random = communityMargin(
      randomVectors(users.length, 256).map((v, i) => ({ community: users[i].community, v })),
    );
    expect(real.within - real.between).toBeGreaterThan(0.5);
    expect(random.within - random.between).toBeLessThan(0.05);
  });

  it("weights recent favorites above old ones", async () => {
    const recentHorror = await newUser(ctx.db);
    await addFavorites(ctx.db, recentHorror, [
      ...horror.slice(0, 3).map((mediaId) => ({ mediaId, rating: 4, addedAt: new Date(NOW.getTime() - 5 * DAY) })),
      ...romance
        .slice(0, 3)
        .map((mediaId) => ({ mediaId, rating: 4, addedAt: new Date(NOW.getTime() - 3 * 365 * DAY) })),
    ]);
    const recentRomance = await newUser(ctx.db);
    await addFavorites(ctx.db, recentRomance, [
      ...horror
        .slice(0, 3)
        .map((mediaId) => ({ mediaId, rating: 4, addedAt: new Date(NOW.getTime() - 3 * 365 * DAY) })),
      ...romance.slice(0, 3).map((mediaId) => ({ mediaId, rating: 4, addedAt: new Date(NOW.getTime() - 5 * DAY) })),
    ]);
    await computeTasteVectors(ctx.db, model, [recentHorror, recentRomance], NOW);
    const h = await centroid(ctx.db, model, horror.slice(0, 3));
    const r = await centroid(ctx.db, model, romance.slice(0, 3));
    const a = (await tasteOf(ctx.db, recentHorror))!;
    const b = (await tasteOf(ctx.db, recentRomance))!;
    expect(cosine(a, h)).toBeGreaterThan(cosine(a, r) + 0.2);
    expect(cosine(b, r)).toBeGreaterThan(cosine(b, h) + 0.2);
  });

  it("weights highly rated and liked favorites above poorly rated ones", async () => {
    const lovesHorror = await newUser(ctx.db);
    const sameDay = new Date(NOW.getTime() - 30 * DAY);
    await addFavorites(ctx.db, lovesHorror, [
      ...horror.slice(3, 6).map((mediaId) => ({ mediaId, rating: 5, liked: true, addedAt: sameDay })),
      ...romance.slice(3, 6).map((mediaId) => ({ mediaId, rating: 1.5, addedAt: sameDay })),
    ]);
    const unrated = await newUser(ctx.db);
    await addFavorites(ctx.db, unrated, [
      ...horror.slice(3, 6).map((mediaId) => ({ mediaId, addedAt: sameDay })),
      ...romance.slice(3, 6).map((mediaId) => ({ mediaId, addedAt: sameDay })),
    ]);
    await computeTasteVectors(ctx.db, model, [lovesHorror, unrated], NOW);
    const h = await centroid(ctx.db, model, horror.slice(3, 6));
    const r = await centroid(ctx.db, model, romance.slice(3, 6));
    const loved = (await tasteOf(ctx.db, lovesHorror))!;
    const neutral = (await tasteOf(ctx.db, unrated))!;
    expect(cosine(loved, h)).toBeGreaterThan(cosine(loved, r) + 0.2);
    // Same titles without ratings sit between the two: ratings are what moved the vector.
    expect(Math.abs(cosine(neutral, h) - cosine(neutral, r))).toBeLessThan(cosine(loved, h) - cosine(loved, r));
  });

  it("gives no vector below three favorites, and removes it when favorites are switched off", async () => {
    const few = await newUser(ctx.db);
    await addFavorites(
      ctx.db,
      few,
      horror.slice(0, 2).map((mediaId) => ({ mediaId, addedAt: NOW })),
    );
    const private_ = await newUser(ctx.db);
    await addFavorites(
      ctx.db,
      private_,
      horror.slice(0, 4).map((mediaId) => ({ mediaId, addedAt: NOW })),
    );
    expect(await computeTasteVectors(ctx.db, model, [few, private_], NOW)).toEqual({ written: 1, cleared: 1 });
    expect(await tasteOf(ctx.db, few)).toBeNull();
    expect(await tasteOf(ctx.db, private_)).not.toBeNull();

    await ctx.db.query(`INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, 'favorites', false)`, [
      private_,
    ]);
    await computeTasteVectors(ctx.db, model, [private_], NOW);
    expect(await tasteOf(ctx.db, private_)).toBeNull();
  });
});
