import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import type { ReportReason } from "./codes";

/** Reports one person may file per rolling 24 hours (MESH_REPORTS_PER_DAY). */
export function reportsPerDay(): number {
  const n = Number(process.env.MESH_REPORTS_PER_DAY ?? 10);
  return Number.isFinite(n) && n > 0 ? n : 10;
}

export interface FiledReport {
  reportId: number;
  userId: string;
  reason: ReportReason;
  status: "open";
  createdAt: string;
}

/**
 * Files a report. One open report per reporter and person (a second is a 409 until a moderator
 * resolves the first), at most reportsPerDay() a day per reporter (counted in the database, so the
 * cap holds across server instances). The reporter's lock serialises their own concurrent reports.
 */
export async function fileReport(
  db: Db,
  reporterId: string,
  input: { userId: string; reason: ReportReason; text?: string },
): Promise<FiledReport> {
  if (input.userId === reporterId) {
    throw new HttpError(400, "invalid_input", "userId: you cannot report yourself", "userId");
  }
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('report:' || $1::text, 0))`, [reporterId]);
    const known = await tx.query(`SELECT 1 FROM profiles WHERE user_id = $1`, [input.userId]);
    if (known.length === 0) throw new HttpError(404, "not_found", "no such user", "userId");
    const [recent] = await tx.query<{ n: number; oldest: Date | string | null }>(
      `SELECT count(*)::int AS n, min(created_at) AS oldest FROM reports
       WHERE reporter_id = $1 AND created_at > now() - interval '1 day'`,
      [reporterId],
    );
    if (recent.n >= reportsPerDay()) {
      const freeAt = new Date(recent.oldest!).getTime() + 86_400_000;
      const retryAfter = Math.max(1, Math.ceil((freeAt - Date.now()) / 1000));
      throw new HttpError(429, "rate_limited", `too many reports: retry after ${retryAfter} s`, undefined, {
        "retry-after": String(retryAfter),
      });
    }
    const [row] = await tx.query<{ id: number; created_at: Date | string }>(
      `INSERT INTO reports (reporter_id, target_id, reason, details) VALUES ($1, $2, $3, $4)
       ON CONFLICT (reporter_id, target_id) WHERE status = 'open' DO NOTHING
       RETURNING id, created_at`,
      [reporterId, input.userId, input.reason, input.text?.trim() || null],
    );
    if (!row) {
      throw new HttpError(409, "already_reported", "you already have an open report about this person", "userId");
    }
    return {
      reportId: Number(row.id),
      userId: input.userId,
      reason: input.reason,
      status: "open",
      createdAt: new Date(row.created_at).toISOString(),
    };
  });
}
