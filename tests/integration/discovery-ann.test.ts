import { expect, it } from "vitest";
import type { Db } from "../../lib/db/types";
import { toVectorParam } from "../../lib/db/vector";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";

/** A 256-d unit-ish vector along `axis`, nudged toward axis+1 by `jitter`. */
function vec(axis: number, jitter = 0): string {
  const v = new Array(256).fill(0);
  v[axis] = 1;
  v[axis + 1] = jitter;
  return toVectorParam(v);
}

async function person(db: Db, name: string, taste: [string, string] | null, embedding: [string, string] | null) {
  const id = await createUser(db, { displayName: name });
  if (taste)
    await db.query(`INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2::vector, $3)`, [
      id,
      taste[0],
      taste[1],
    ]);
  if (embedding)
    await db.query(`INSERT INTO user_embeddings (user_id, embedding, model_version) VALUES ($1, $2::vector, $3)`, [
      id,
      embedding[0],
      embedding[1],
    ]);
  return id;
}

async function ann(db: Db, viewer: string, taste: string | null, embedding: string | null) {
  const rows = await db.query<{ candidate_id: string; found_by: string }>(
    `SELECT candidate_id::text AS candidate_id, found_by FROM discovery_ann($1, $2::vector, $3::vector, 200, 300)`,
    [viewer, taste, embedding],
  );
  return rows.map((r) => `${r.found_by}:${r.candidate_id}`);
}

describeEachDriver("discovery_ann across model versions", (ctx) => {
  it("matches a viewer only with vectors of the viewer's own model (a refit is rolled out chunk by chunk)", async () => {
    const viewer = await person(ctx.db, "Viewer", [vec(3), "pca-new"], [vec(9), "enc-2"]);
    // Under the old model the numbers are as close as can be, but they live in another space.
    const staleTwin = await person(ctx.db, "Stale twin", [vec(3), "pca-old"], [vec(9), "enc-1"]);
    const near = await person(ctx.db, "Near", [vec(3, 0.3), "pca-new"], [vec(9, 0.3), "enc-2"]);
    const found = await ann(ctx.db, viewer, vec(3), vec(9));
    expect(found).toContain(`taste:${near}`);
    expect(found).toContain(`profile:${near}`);
    expect(found.filter((f) => f.endsWith(staleTwin))).toEqual([]);
    expect(found.filter((f) => f.endsWith(viewer))).toEqual([]);

    // Once the batch reaches them, they are comparable again.
    await ctx.db.query(`UPDATE user_taste_vectors SET model_version = 'pca-new' WHERE user_id = $1`, [staleTwin]);
    expect(await ann(ctx.db, viewer, vec(3), vec(9))).toContain(`taste:${staleTwin}`);
  });

  it("still applies every exclusion as a per-row filter: not discoverable, source switched off", async () => {
    const viewer = await person(ctx.db, "Viewer 2", [vec(40), "m"], [vec(60), "e"]);
    const hidden = await person(ctx.db, "Hidden", [vec(40, 0.1), "m"], [vec(60, 0.1), "e"]);
    const noFavorites = await person(ctx.db, "No favorites", [vec(40, 0.1), "m"], [vec(60, 0.1), "e"]);
    const shown = await person(ctx.db, "Shown", [vec(40, 0.2), "m"], [vec(60, 0.2), "e"]);
    await ctx.db.query(`UPDATE profiles SET discoverable = false WHERE user_id = $1`, [hidden]);
    await ctx.db.query(`INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, 'favorites', false)`, [
      noFavorites,
    ]);
    const found = await ann(ctx.db, viewer, vec(40), vec(60));
    expect(found).toEqual(expect.arrayContaining([`taste:${shown}`, `profile:${shown}`, `profile:${noFavorites}`]));
    expect(found).not.toContain(`taste:${noFavorites}`);
    expect(found.filter((f) => f.endsWith(hidden))).toEqual([]);
  });
});
