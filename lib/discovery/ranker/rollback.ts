import type { Db } from "../../db/types";
import { invalidateAllSlates } from "../slate-cache";

export interface RollbackOutcome {
  /** The version that was active and is now retired (never rolled back to again). */
  from: string;
  /** The version active again: the one activated before it. */
  to: string;
}

/**
 * `npm run job -- ranker-rollback`: retires the active ranker version and re-activates the one
 * activated before it (skipping versions retired earlier, so repeated rollbacks walk back through
 * history), then drops every cached slate so nobody is served the retired version's ranking.
 * One transaction: a failure leaves the active version as it was.
 */
export async function rollbackRanker(db: Db): Promise<RollbackOutcome> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<{ version: string; activated_at: Date | string | null }>(
      `SELECT version, activated_at FROM ranker_models WHERE active FOR UPDATE`,
    );
    if (!current) throw new Error("no ranker version is active");
    const [previous] = await tx.query<{ version: string }>(
      `SELECT version FROM ranker_models
       WHERE NOT active AND activated_at IS NOT NULL AND rolled_back_at IS NULL
         AND ($1::timestamptz IS NULL OR activated_at <= $1::timestamptz)
       ORDER BY activated_at DESC, created_at DESC LIMIT 1`,
      [current.activated_at],
    );
    if (!previous) throw new Error(`no earlier version to roll back to from ${current.version}`);
    // Two statements: the partial unique index allows one active row at any moment.
    await tx.query(`UPDATE ranker_models SET active = false, rolled_back_at = now() WHERE version = $1`, [
      current.version,
    ]);
    await tx.query(`UPDATE ranker_models SET active = true, activated_at = now() WHERE version = $1`, [
      previous.version,
    ]);
    await invalidateAllSlates(tx);
    return { from: current.version, to: previous.version };
  });
}
