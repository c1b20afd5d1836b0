import { beforeAll, expect, it } from "vitest";
import type { Queryable } from "../../lib/db/types";
import { fromVectorColumn } from "../../lib/db/vector";
import { cosine } from "../../lib/embeddings/hashed-directions";
import { computeProfileEmbeddings } from "../../lib/taste/profile-embedding";
import { describeEachDriver } from "../helpers/drivers";

async function person(
  db: Queryable,
  p: { hobbies: string[]; communities: string[]; lat?: number; lon?: number; locale?: string },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(`INSERT INTO auth.users (id) VALUES ($1)`, [id]);
  await db.query(
    `UPDATE profiles SET hobbies = $2::text[], communities = $3::text[], lat = $4, lon = $5, locale = $6 WHERE user_id = $1`,
    [id, p.hobbies, p.communities, p.lat ?? null, p.lon ?? null, p.locale ?? "en"],
  );
  return id;
}

async function embedding(db: Queryable, id: string): Promise<number[] | null> {
  const [row] = await db.query<{ e: string }>(`SELECT embedding::text AS e FROM user_embeddings WHERE user_id = $1`, [
    id,
  ]);
  return row ? fromVectorColumn(row.e) : null;
}

describeEachDriver("profile embeddings", (ctx) => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const london = { lat: 51.5, lon: -0.12 };
    ids.chess1 = await person(ctx.db, {
      hobbies: ["chess", "astronomy", "coffee"],
      communities: ["Philosophy Club"],
      ...london,
    });
    ids.chess2 = await person(ctx.db, {
      hobbies: ["Chess", "astronomy"],
      communities: ["Philosophy Club"],
      lat: 40.4,
      lon: -3.7,
      locale: "es",
    });
    ids.baker = await person(ctx.db, {
      hobbies: ["baking", "knitting", "coffee"],
      communities: ["Village Bakers"],
      ...london,
    });
    ids.empty = await person(ctx.db, { hobbies: [], communities: [] });
    expect(await computeProfileEmbeddings(ctx.db, Object.values(ids))).toEqual({ written: 3, cleared: 1 });
  });

  it("puts people with shared hobbies and communities close, even across cities and locales", async () => {
    const a = (await embedding(ctx.db, ids.chess1))!;
    const b = (await embedding(ctx.db, ids.chess2))!;
    const c = (await embedding(ctx.db, ids.baker))!;
    expect(a).toHaveLength(256);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(cosine(a, b)).toBeGreaterThan(0.6);
    // Same city and a shared "coffee" are not enough to make a chess player look like a baker.
    expect(cosine(a, c)).toBeLessThan(0.4);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c) + 0.3);
  });

  it("gives no embedding to an empty profile, and drops interests when that category is off", async () => {
    expect(await embedding(ctx.db, ids.empty)).toBeNull();
    const before = (await embedding(ctx.db, ids.chess2))!;
    await ctx.db.query(`INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, 'interests', false)`, [
      ids.chess2,
    ]);
    await computeProfileEmbeddings(ctx.db, [ids.chess2]);
    const after = (await embedding(ctx.db, ids.chess2))!;
    const chess1 = (await embedding(ctx.db, ids.chess1))!;
    expect(cosine(after, chess1)).toBeLessThan(cosine(before, chess1) - 0.4);
  });
});
