import type { Db } from "../db/types";
import type { ClientEvent } from "./event-schema";
import { updateBehaviourFeatures } from "./features";

/** Anonymous events not merged into a person by then are deleted (events_maintain). */
export const ANONYMOUS_EVENTS_DAYS = 30;

/**
 * At sign-in, a shop visitor's events become the person's: the rows move to them (in their own
 * partitions, unchanged), the receipts follow so a late retry is still a duplicate, and the
 * person's features take them in. Idempotent: a second merge finds nothing left.
 */
export async function mergeAnonymousEvents(db: Db, userId: string, anonId: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const moved = await tx.query<{
      event_id: string;
      kind: ClientEvent["kind"];
      target_type: ClientEvent["targetType"];
      target_id: string;
      value: number | null;
      client_time: Date | string;
    }>(
      `UPDATE events SET user_id = $1, anon_id = NULL
       WHERE anon_id = $2 AND user_id IS NULL AND event_id IS NOT NULL
       RETURNING event_id, kind, target_type, target_id, value, client_time`,
      [userId, anonId],
    );
    if (moved.length === 0) return 0;
    await tx.query(
      `INSERT INTO event_receipts (subject, event_id, received_at)
       SELECT $1, event_id, received_at FROM event_receipts WHERE subject = $2
       ORDER BY event_id
       ON CONFLICT DO NOTHING`,
      [`u:${userId}`, `a:${anonId}`],
    );
    await updateBehaviourFeatures(
      tx,
      userId,
      moved.map((r) => ({
        id: r.event_id,
        kind: r.kind,
        targetType: r.target_type,
        targetId: r.target_id,
        ...(r.kind === "dwell" || r.kind === "scroll_pause" ? { dwellMs: r.value ?? 0 } : {}),
        clientTime: new Date(r.client_time).toISOString(),
      })),
      now,
    );
    return moved.length;
  });
}

/** A visitor who signs in with `behaviour` off: what they did anonymously is not kept either. */
export async function dropAnonymousEvents(db: Db, anonId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("DELETE FROM events WHERE anon_id = $1 AND user_id IS NULL", [anonId]);
    await tx.query("DELETE FROM event_receipts WHERE subject = $1", [`a:${anonId}`]);
  });
}
