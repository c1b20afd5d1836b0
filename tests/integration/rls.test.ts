import { beforeAll, expect, it } from "vitest";
import { withClaims } from "../../lib/db/claims";
import { toVectorParam } from "../../lib/db/vector";
import { createUser } from "../../lib/users/create";
import { describeEachDriver } from "../helpers/drivers";

describeEachDriver("row-level security", (ctx) => {
  let alice = "";
  let bob = "";
  const asUser = (id: string) => ({ sub: id, role: "authenticated" as const });

  beforeAll(async () => {
    alice = await createUser(ctx.db, { displayName: "Alice" });
    bob = await createUser(ctx.db, { displayName: "Bob" });
    await ctx.db.query(
      "INSERT INTO canonical_media (id, media_type, title, year) VALUES ('isbn:9780439023481', 'book', 'The Hunger Games', 2008)",
    );
    for (const user of [alice, bob]) {
      await ctx.db.query(
        "INSERT INTO favorite_items (user_id, media_id, source, rating) VALUES ($1, 'isbn:9780439023481', 'manual', 4)",
        [user],
      );
      await ctx.db.query("INSERT INTO privacy_settings (user_id, category, enabled) VALUES ($1, 'location', false)", [
        user,
      ]);
      await ctx.db.query(
        "INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2::vector, 'test')",
        [user, toVectorParam(new Array(256).fill(0.1))],
      );
    }
  });

  it("shows a user their own private rows and none of another user's", async () => {
    await withClaims(ctx.db, asUser(alice), async (tx) => {
      const profiles = await tx.query<{ user_id: string }>("SELECT user_id FROM profiles");
      expect(profiles.map((p) => p.user_id)).toEqual([alice]);
      const favorites = await tx.query<{ user_id: string }>("SELECT user_id FROM favorite_items");
      expect(favorites.map((f) => f.user_id)).toEqual([alice]);
      const privacy = await tx.query<{ user_id: string }>("SELECT user_id FROM privacy_settings");
      expect(privacy.map((p) => p.user_id)).toEqual([alice]);
    });
  });

  it("lets a user edit their own rows but not write another user's", async () => {
    await withClaims(ctx.db, asUser(alice), async (tx) => {
      const mine = await tx.query("UPDATE profiles SET bio = 'hi' WHERE user_id = $1 RETURNING user_id", [alice]);
      expect(mine).toHaveLength(1);
      const theirs = await tx.query("UPDATE profiles SET bio = 'pwned' WHERE user_id = $1 RETURNING user_id", [bob]);
      expect(theirs).toHaveLength(0);
      const deleted = await tx.query("DELETE FROM favorite_items WHERE user_id = $1 RETURNING user_id", [bob]);
      expect(deleted).toHaveLength(0);
    });
    await expect(
      withClaims(ctx.db, asUser(alice), (tx) =>
        tx.query(
          "INSERT INTO favorite_items (user_id, media_id, source) VALUES ($1, 'isbn:9780439023481', 'goodreads')",
          [bob],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const [bobProfile] = await ctx.db.query<{ bio: string }>("SELECT bio FROM profiles WHERE user_id = $1", [bob]);
    expect(bobProfile.bio).toBe("");
  });

  it("never exposes computed taste vectors to the browser roles, even their owner's", async () => {
    await expect(
      withClaims(ctx.db, asUser(alice), (tx) => tx.query("SELECT * FROM user_taste_vectors")),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withClaims(ctx.db, asUser(alice), (tx) => tx.query("SELECT tokens_encrypted FROM connector_accounts")),
    ).rejects.toThrow(/permission denied/);
  });

  it("shows anon nothing private, but the public media catalogue", async () => {
    for (const table of ["favorite_items", "profiles", "privacy_settings", "events"]) {
      await expect(withClaims(ctx.db, { role: "anon" }, (tx) => tx.query(`SELECT 1 FROM ${table}`))).rejects.toThrow(
        /permission denied/,
      );
    }
    const media = await withClaims(ctx.db, { role: "anon" }, (tx) => tx.query("SELECT id FROM canonical_media"));
    expect(media).toEqual([{ id: "isbn:9780439023481" }]);
  });
});
