import type { Db } from "../lib/db/types";
import { hasDemoData, seedDemo } from "../lib/demo/seed";
import { runBatch } from "../lib/jobs/batch";
import { defaultJobContext } from "../lib/job-registry/job-context";
import { batchJob } from "../lib/job-registry/batch-jobs";

export interface PrepareOptions {
  users: number;
  seed: number;
  /** (stage, done, total): seeding and each batch job report here. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** The share of each demo user's favorites hidden before the batch jobs run (held-out.ts's label). */
export const HELD_OUT_FAVORITE_SHARE = 0.2;

/**
 * Moves a fixed-seed hash-chosen HELD_OUT_FAVORITE_SHARE of every demo user's favorites out of
 * favorite_items into eval.held_out_favorites (a scratch table of the eval's own database, not a
 * migration), before any batch job runs: no taste vector, profile, trait, ranker feature or
 * baseline sees them. Once per database: a second run finds the table filled and hides nothing more.
 */
async function holdOutFavorites(db: Db, seed: number): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS eval`);
  await db.query(
    `CREATE TABLE IF NOT EXISTS eval.held_out_favorites (user_id uuid NOT NULL, media_id text NOT NULL,
       PRIMARY KEY (user_id, media_id))`,
  );
  await db.query(
    `WITH hidden AS (
       DELETE FROM favorite_items f USING profiles p
       WHERE p.user_id = f.user_id AND p.is_demo
         AND NOT EXISTS (SELECT 1 FROM eval.held_out_favorites)
         AND ('x' || substr(md5($1 || ':' || f.user_id::text || ':' || f.media_id), 1, 8))::bit(32)::bigint % 1000 < $2
       RETURNING f.user_id, f.media_id)
     INSERT INTO eval.held_out_favorites (user_id, media_id)
     SELECT DISTINCT user_id, media_id FROM hidden ON CONFLICT DO NOTHING`,
    [String(seed), Math.round(HELD_OUT_FAVORITE_SHARE * 1000)],
  );
}

/** The share of users put in audit group "b" (the rest "a"): an unequal split, as real groups are. */
export const AUDIT_GROUP_B_SHARE = 0.4;

/**
 * Makes an evaluation database: demo users with planted communities (unless some exist), a share
 * of their favorites held out (holdOutFavorites), then the batch jobs that serving reads (title embeddings + taste vectors, profile embeddings, traits).
 * Demo data records no protected attribute, so each user gets a synthetic audit group drawn
 * from a hash of their id (independent of taste), for the fairness stage to balance and the
 * eval to measure.
 */
export async function prepareEvalData(db: Db, options: PrepareOptions): Promise<void> {
  if (!(await hasDemoData(db))) {
    await seedDemo(db, {
      users: options.users,
      seed: options.seed,
      onProgress: (done, total) => options.onProgress?.("seeding", done, total),
    });
  }
  await holdOutFavorites(db, options.seed);
  const ctx = defaultJobContext();
  for (const name of ["taste-vectors", "profile-embeddings", "traits"] as const) {
    await runBatch(db, batchJob(name, ctx), {
      onProgress: (p) => options.onProgress?.(`${name}: ${p.phaseName}`, p.done, Math.max(p.total ?? 0, p.done)),
    });
  }
  await db.query(
    `INSERT INTO fairness_audit_attributes (user_id, audit_group)
     SELECT user_id, CASE WHEN ('x' || substr(md5(user_id::text), 1, 8))::bit(32)::bigint % 1000 < $1
                          THEN 'b' ELSE 'a' END
     FROM profiles WHERE is_demo
     ON CONFLICT (user_id) DO NOTHING`,
    [Math.round(AUDIT_GROUP_B_SHARE * 1000)],
  );
}
