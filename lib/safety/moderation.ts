import type { Db, Queryable } from "../db/types";
import { invalidateSlatesShowing } from "../discovery/slate-cache";
import { HttpError } from "../http/errors";
import { HARASSMENT_RULE } from "./harassment-rule";
import type { ModerationAction, ReportReason } from "./codes";

export interface OpenReport {
  reportId: number;
  reason: ReportReason;
  text: string | null;
  createdAt: string;
  reported: {
    userId: string;
    displayName: string | null;
    harassmentScore: number | null;
    independentReporters: number;
    suspended: boolean;
    warnings: number;
    /** The person's reports of the last 90 days, newest first (up to ten), this one included. */
    recentReports: { reportId: number; reason: ReportReason; text: string | null; status: string; createdAt: string }[];
    /** People who blocked them: in the last 90 days, and ever. */
    blocks: { last90Days: number; total: number };
  };
}

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * Open reports, oldest first, each with what a moderator needs to judge it: the reported person's
 * recent reports and blocks, warnings, current score. Reporters are not named: a moderator judges
 * the behaviour, and the reported person's export never shows who reported them either.
 */
export async function listOpenReports(db: Queryable, limit: number): Promise<OpenReport[]> {
  const rows = await db.query<{
    id: number;
    reason: ReportReason;
    details: string | null;
    created_at: Date | string;
    target_id: string;
    display_name: string | null;
    harassment_score: number | null;
    independent_reporters: number | null;
    suspended: boolean;
    warnings: number;
    recent: { id: number; reason: ReportReason; details: string | null; status: string; created_at: string }[];
    blocks_90: number;
    blocks_total: number;
  }>(
    `SELECT r.id, r.reason, r.details, r.created_at, r.target_id, p.display_name,
            ss.harassment_score, ss.independent_reporters, coalesce(ss.suspended_at IS NOT NULL, false) AS suspended,
            (SELECT count(*)::int FROM moderation_actions m WHERE m.user_id = r.target_id AND m.action = 'warn') AS warnings,
            (SELECT coalesce(jsonb_agg(x ORDER BY x.created_at DESC), '[]'::jsonb) FROM (
               SELECT o.id, o.reason, o.details, o.status, o.created_at FROM reports o
               WHERE o.target_id = r.target_id AND o.created_at > now() - interval '90 days'
               ORDER BY o.created_at DESC LIMIT 10) x) AS recent,
            (SELECT count(*)::int FROM blocks b WHERE b.blocked_id = r.target_id
               AND b.created_at > now() - interval '90 days') AS blocks_90,
            (SELECT count(*)::int FROM blocks b WHERE b.blocked_id = r.target_id) AS blocks_total
     FROM reports r
     LEFT JOIN profiles p ON p.user_id = r.target_id
     LEFT JOIN safety_scores ss ON ss.user_id = r.target_id
     WHERE r.status = 'open'
     ORDER BY r.created_at, r.id
     LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    reportId: Number(r.id),
    reason: r.reason,
    text: r.details,
    createdAt: iso(r.created_at),
    reported: {
      userId: r.target_id,
      displayName: r.display_name,
      harassmentScore: r.harassment_score === null ? null : Number(r.harassment_score),
      independentReporters: Number(r.independent_reporters ?? 0),
      suspended: r.suspended,
      warnings: r.warnings,
      recentReports: r.recent.map((o) => ({
        reportId: Number(o.id),
        reason: o.reason,
        text: o.details,
        status: o.status,
        createdAt: iso(o.created_at),
      })),
      blocks: { last90Days: r.blocks_90, total: r.blocks_total },
    },
  }));
}

export interface ModerationOutcome {
  reportId: number;
  userId: string;
  action: ModerationAction;
  /** Open reports about the person this closed (dismiss closes only the one). */
  resolved: number;
  suspended: boolean;
}

/**
 * A moderator's decision on an open report. dismiss: this report counts for nothing any more.
 * warn: every open report about the person is upheld and a warning recorded. suspend: the same,
 * and the person is suspended from discovery: score 1 at once (the safety stage removes them from
 * every new slate) and every cached slate showing them is dropped, so nobody sees them again
 * from their next request. The moderator is recorded in the audit log, not on the person's record.
 */
export async function moderateReport(
  db: Db,
  moderatorId: string,
  reportId: number,
  action: ModerationAction,
): Promise<ModerationOutcome> {
  return db.transaction(async (tx) => {
    const [report] = await tx.query<{ target_id: string; status: string }>(
      `SELECT target_id, status FROM reports WHERE id = $1 FOR UPDATE`,
      [reportId],
    );
    if (!report) throw new HttpError(404, "not_found", "no such report", "reportId");
    if (report.status !== "open") {
      throw new HttpError(409, "report_resolved", `this report was already resolved (${report.status})`, "reportId");
    }
    const userId = report.target_id;
    let resolved: number;
    if (action === "dismiss") {
      await tx.query(`UPDATE reports SET status = 'dismissed', resolved_at = now() WHERE id = $1`, [reportId]);
      resolved = 1;
    } else {
      const upheld = await tx.query(
        `UPDATE reports SET status = 'upheld', resolved_at = now() WHERE target_id = $1 AND status = 'open' RETURNING 1`,
        [userId],
      );
      resolved = upheld.length;
      await tx.query(`INSERT INTO moderation_actions (user_id, action, report_id) VALUES ($1, $2, $3)`, [
        userId,
        action,
        reportId,
      ]);
    }
    if (action === "suspend") {
      await tx.query(
        `INSERT INTO safety_scores (user_id, harassment_score, suspended_at) VALUES ($1, $2, now())
         ON CONFLICT (user_id) DO UPDATE SET harassment_score = EXCLUDED.harassment_score,
           suspended_at = coalesce(safety_scores.suspended_at, now()), updated_at = now()`,
        [userId, HARASSMENT_RULE.suspendedScore],
      );
      await invalidateSlatesShowing(tx, userId);
    }
    await tx.query(
      `INSERT INTO audit_log (actor_id, subject_id, action, detail) VALUES ($1, $2, $3, $4::text::jsonb)`,
      [moderatorId, userId, `moderation.${action}`, JSON.stringify({ reportId })],
    );
    const [state] = await tx.query<{ suspended: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM safety_scores WHERE user_id = $1 AND suspended_at IS NOT NULL) AS suspended`,
      [userId],
    );
    return { reportId, userId, action, resolved, suspended: state.suspended };
  });
}
