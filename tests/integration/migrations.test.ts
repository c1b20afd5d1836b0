import { expect, it } from "vitest";
import { listMigrations, migrate } from "../../lib/db/migrate";
import type { Db } from "../../lib/db/types";
import { describeEachDriver } from "../helpers/drivers";

/** A fingerprint of the public schema: tables, columns and types, policies, indexes. */
async function schemaSnapshot(db: Db): Promise<string> {
  const columns = await db.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY 1, 2`,
  );
  const policies = await db.query(`SELECT tablename, policyname, cmd FROM pg_policies ORDER BY 1, 2`);
  const indexes = await db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
  return JSON.stringify({ columns, policies, indexes });
}

describeEachDriver(
  "migrations",
  (ctx) => {
    it("applies every migration in order on an empty database, recording each", async () => {
      const result = await migrate(ctx.db);
      const files = listMigrations();
      expect(result.applied).toEqual(files.map((f) => f.version));
      // An empty database is not Supabase: the compatibility layer goes in first.
      expect(result.compatApplied).toBe(true);
      const recorded = await ctx.db.query<{ version: string; name: string }>(
        "SELECT version, name FROM supabase_migrations.schema_migrations ORDER BY version",
      );
      expect(recorded).toEqual(files.map((f) => ({ version: f.version, name: f.name })));
    });

    it("is a no-op the second time: nothing applied, schema unchanged", async () => {
      const before = await schemaSnapshot(ctx.db);
      const again = await migrate(ctx.db);
      expect(again.applied).toEqual([]);
      expect(again.compatApplied).toBe(false);
      expect(await schemaSnapshot(ctx.db)).toBe(before);
    });

    it("creates the core tables of the design", async () => {
      const rows = await ctx.db.query<{ relname: string }>(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
      );
      const tables = rows.map((r) => r.relname);
      for (const t of [
        "profiles",
        "privacy_settings",
        "canonical_media",
        "media_aliases",
        "favorite_items",
        "connector_accounts",
        "user_taste_vectors",
        "user_embeddings",
        "user_traits",
        "events",
        "feedback",
        "blocks",
        "jobs",
        "batch_runs",
        "audit_log",
      ]) {
        expect(tables).toContain(t);
      }
    });

    it("leaves no public table without row-level security", async () => {
      const rows = await ctx.db.query(
        `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity`,
      );
      expect(rows).toEqual([]);
    });

    it("rejects data the schema forbids (a rating of 7, a half-half star)", async () => {
      const [u] = await ctx.db.query<{ id: string }>("INSERT INTO auth.users (email) VALUES (NULL) RETURNING id");
      await ctx.db.query(
        "INSERT INTO canonical_media (id, media_type, title, year) VALUES ('imdb:tt0083658', 'film', 'Blade Runner', 1982)",
      );
      const insert = (rating: number) =>
        ctx.db.query(
          "INSERT INTO favorite_items (user_id, media_id, source, rating) VALUES ($1, 'imdb:tt0083658', 'manual', $2)",
          [u.id, rating],
        );
      await expect(insert(7)).rejects.toThrow(/check constraint/);
      await expect(insert(3.3)).rejects.toThrow(/check constraint/);
      await insert(4.5);
    });
  },
  { empty: true },
);
