import type { Queryable } from "../db/types";
import { dropQueuedJobs } from "../jobs/enqueue";

/**
 * Whether the person lets connected services sync for them (the `connectors` privacy switch; a
 * missing row means on). Read here rather than through lib/privacy, which imports this folder.
 */
export async function connectorsAllowed(db: Queryable, userId: string): Promise<boolean> {
  const rows = await db.query<{ enabled: boolean }>(
    "SELECT enabled FROM privacy_settings WHERE user_id = $1 AND category = 'connectors'",
    [userId],
  );
  return rows[0]?.enabled !== false;
}

/** Accounts waiting for or in a sync that will not happen go back to idle, so no status lies. */
export async function settleConnectorStatus(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `UPDATE connector_accounts SET status = 'idle', status_reason = 'connectors switched off'
     WHERE user_id = $1 AND status IN ('queued', 'syncing')`,
    [userId],
  );
}

/**
 * The `connectors` switch going off, in the transaction that saves it: the person's queued syncs
 * are dropped (a sync already running checks the switch before it writes: see sync.ts).
 */
export async function stopConnectorSyncs(db: Queryable, userId: string): Promise<number> {
  const dropped = await dropQueuedJobs(db, "connector-sync", userId);
  await settleConnectorStatus(db, userId);
  return dropped;
}
