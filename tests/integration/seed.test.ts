import { expect, it } from "vitest";
import { COMMUNITIES } from "../../lib/demo/communities";
import { seedDemo } from "../../lib/demo/seed";
import { findDemoUser } from "../../lib/users/demo";
import { describeEachDriver } from "../helpers/drivers";

describeEachDriver("demo data", (ctx) => {
  it("creates users with profiles, locations and favorites, reporting progress", async () => {
    const progress: number[] = [];
    const result = await seedDemo(ctx.db, { users: 150, seed: 7, onProgress: (done) => progress.push(done) });
    expect(progress.at(-1)).toBe(150);
    const [row] = await ctx.db.query<{ users: number; located: number; without: number }>(
      `SELECT count(*)::int AS users, count(lat)::int AS located,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM favorite_items f WHERE f.user_id = p.user_id))::int AS without
       FROM profiles p WHERE is_demo`,
    );
    expect(row).toEqual({ users: 150, located: 150, without: 0 });
    expect(result.favorites).toBeGreaterThanOrEqual(150 * 8);
    expect(await findDemoUser(ctx.db)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("plants taste communities: most of a user's favorites carry their community's genres", async () => {
    const rows = await ctx.db.query<{ community: string; media_type: "film" | "book" | "music"; genres: string[] }>(
      `SELECT u.raw_user_meta_data ->> 'demo_community' AS community, m.media_type,
              ARRAY(SELECT jsonb_array_elements_text(m.metadata -> 'genres')) AS genres
       FROM favorite_items f JOIN auth.users u ON u.id = f.user_id JOIN canonical_media m ON m.id = f.media_id`,
    );
    const byKey = new Map(COMMUNITIES.map((c) => [c.key, c]));
    const matching = rows.filter((r) => {
      const genres = byKey.get(r.community)!.genres[r.media_type];
      return r.genres.some((g) => genres.includes(g));
    });
    // 80% of picks come from the user's own community; random picks sometimes match too.
    expect(matching.length / rows.length).toBeGreaterThan(0.75);
    // ...and not everything does: communities are planted, not the whole catalogue.
    expect(matching.length / rows.length).toBeLessThan(0.99);
  });
});
