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

/** The share of users put in audit group "b" (the rest "a"): an unequal split, as real groups are. */
export const AUDIT_GROUP_B_SHARE = 0.4;

/**
 * Makes an evaluation database: demo users with planted communities (unless some exist), then the
 * batch jobs that serving reads (title embeddings + taste vectors, profile embeddings, traits).
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
