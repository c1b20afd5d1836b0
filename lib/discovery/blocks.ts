import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { invalidateSlates } from "./slate-cache";

/**
 * Blocks a user. Both people's cached slates and explanations are dropped so neither sees the
 * other from the next request on. Blocking twice is not an error.
 */
export async function blockUser(db: Db, blockerId: string, blockedId: string): Promise<void> {
  if (blockerId === blockedId) throw new HttpError(400, "invalid_input", "userId: you cannot block yourself", "userId");
  await db.transaction(async (tx) => {
    const known = await tx.query(`SELECT 1 FROM profiles WHERE user_id = $1`, [blockedId]);
    if (known.length === 0) throw new HttpError(404, "not_found", "no such user", "userId");
    await tx.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      blockerId,
      blockedId,
    ]);
    await invalidateSlates(tx, [blockerId, blockedId]);
  });
}

/** Lifts the viewer's block (a block the other person placed stays). Returns whether one existed. */
export async function unblockUser(db: Db, blockerId: string, blockedId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx.query(`DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2 RETURNING 1`, [
      blockerId,
      blockedId,
    ]);
    await invalidateSlates(tx, [blockerId, blockedId]);
    return removed.length > 0;
  });
}
