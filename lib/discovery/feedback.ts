import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { invalidateSlates } from "./slate-cache";

import type { FeedbackAction } from "./feedback-actions";

export { feedbackActions, type FeedbackAction } from "./feedback-actions";

/**
 * Records the viewer's feedback on a person and drops the viewer's cached slate (an accept also
 * drops the requester's: their mutual connections changed). The target must exist and not be
 * blocked either way (404 otherwise, without saying which); accepting needs a pending request
 * from the target. With the viewer's `behaviour` switch off, a click is not stored (the table's
 * trigger skips it) and null is returned; explicit actions are stored, never as training labels.
 */
export async function recordFeedback(
  db: Db,
  viewerId: string,
  targetId: string,
  action: FeedbackAction,
): Promise<{ id: number } | null> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ known: boolean; requested: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM profiles WHERE user_id = $2 AND user_id <> $1)
                AND NOT EXISTS (SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2)
                                  OR (blocker_id = $2 AND blocked_id = $1)) AS known,
              EXISTS (SELECT 1 FROM feedback WHERE user_id = $2 AND target_user_id = $1
                        AND action IN ('connect', 'connect_request')) AS requested`,
      [viewerId, targetId],
    );
    if (!rows[0].known) throw new HttpError(404, "not_found", "no such user", "targetId");
    if (action === "connect_accept" && !rows[0].requested) {
      throw new HttpError(
        409,
        "no_pending_request",
        "there is no connection request from this user to accept",
        "targetId",
      );
    }
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO feedback (user_id, target_user_id, target_id, action) VALUES ($1, $2, $4, $3) RETURNING id`,
      [viewerId, targetId, action, targetId],
    );
    if (inserted.length === 0) return null;
    await invalidateSlates(tx, action === "connect_accept" ? [viewerId, targetId] : [viewerId]);
    return { id: Number(inserted[0].id) };
  });
}
