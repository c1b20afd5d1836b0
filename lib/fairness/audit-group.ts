import type { Db, Queryable } from "../db/types";
import { invalidateSlatesShowing } from "../discovery/slate-cache";

/**
 * The self-declared audit attribute: a group a person may declare so that the fairness stage and
 * the weekly fairness report can check their exposure. Off by default (no row); switching it off
 * deletes the row. It is never shown to anyone else, never a ranking feature (only the fairness
 * stage and the report read it), and it is exported and deleted with the account like any row in
 * fairness_audit_attributes.
 */
export interface AuditGroupSetting {
  enabled: boolean;
  group: string | null;
}

export async function getAuditGroup(db: Queryable, userId: string): Promise<AuditGroupSetting> {
  const [row] = await db.query<{ audit_group: string }>(
    `SELECT audit_group FROM fairness_audit_attributes WHERE user_id = $1`,
    [userId],
  );
  return { enabled: Boolean(row), group: row?.audit_group ?? null };
}

/**
 * Declares (enabled with a group) or withdraws (enabled false: the row is deleted) the attribute.
 * Slates showing the person are dropped, so the fairness stage counts them as they now declare.
 */
export async function setAuditGroup(
  db: Db,
  userId: string,
  change: { enabled: true; group: string } | { enabled: false },
): Promise<AuditGroupSetting> {
  return db.transaction(async (tx) => {
    if (change.enabled) {
      await tx.query(
        `INSERT INTO fairness_audit_attributes (user_id, audit_group) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET audit_group = EXCLUDED.audit_group, recorded_at = now()`,
        [userId, change.group],
      );
    } else {
      await tx.query(`DELETE FROM fairness_audit_attributes WHERE user_id = $1`, [userId]);
    }
    await tx.query(
      `INSERT INTO audit_log (actor_id, subject_id, action, detail) VALUES ($1, $1, 'privacy.audit_group', $2::text::jsonb)`,
      [userId, JSON.stringify({ enabled: change.enabled })],
    );
    await invalidateSlatesShowing(tx, userId);
    return getAuditGroup(tx, userId);
  });
}
