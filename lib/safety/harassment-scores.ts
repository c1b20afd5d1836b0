import type { BatchPhase } from "../jobs/batch";
import type { Queryable } from "../db/types";
import { HARASSMENT_THRESHOLD } from "../discovery/safety";
import { invalidateSlatesShowing } from "../discovery/slate-cache";
import { HARASSMENT_RULE, harassmentScore } from "./harassment-rule";

/** Everyone the job must look at: reported (inside the window, not dismissed), blocked, or scored. */
const TARGETS = `
  SELECT target_id AS id FROM reports
  WHERE status <> 'dismissed' AND created_at > now() - make_interval(days => ${HARASSMENT_RULE.windowDays})
  UNION SELECT blocked_id FROM blocks
  UNION SELECT user_id FROM safety_scores`;

interface SignalRow {
  id: string;
  reporters: string[];
  blockers: string[];
  suspended: boolean;
  previous: number | null;
}

/**
 * Recomputes the harassment score of a chunk of people (keyset by id) from their reports and
 * blocks under the anti-brigading rule, writes the scores, removes scores that fell to zero (unless
 * suspended), and drops cached slates showing anyone who has just crossed into exclusion.
 */
export async function scoreChunk(db: Queryable, after: string | null, limit: number): Promise<string[]> {
  const rows = await db.query<SignalRow>(
    `WITH t AS (
       SELECT id FROM (${TARGETS}) x WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2
     )
     SELECT t.id,
       ARRAY(SELECT DISTINCT r.reporter_id::text FROM reports r
             WHERE r.target_id = t.id AND r.status <> 'dismissed'
               AND r.created_at > now() - make_interval(days => ${HARASSMENT_RULE.windowDays})) AS reporters,
       ARRAY(SELECT b.blocker_id::text FROM blocks b WHERE b.blocked_id = t.id) AS blockers,
       coalesce(ss.suspended_at IS NOT NULL, false) AS suspended,
       ss.harassment_score AS previous
     FROM t LEFT JOIN safety_scores ss ON ss.user_id = t.id
     ORDER BY t.id`,
    [after, limit],
  );
  if (rows.length === 0) return [];
  const people = [...new Set(rows.flatMap((r) => [...r.reporters, ...r.blockers]))];
  const links = await db.query<{ a: string; b: string }>(
    `SELECT user_id::text AS a, target_user_id::text AS b FROM feedback
     WHERE user_id = ANY($1::uuid[]) AND target_user_id = ANY($1::uuid[])
       AND action IN ('connect', 'connect_request', 'connect_accept')`,
    [people],
  );
  const pairs = links.map((l) => [l.a, l.b] as const);
  const scored = rows.map((r) => ({ ...r, ...harassmentScore({ ...r, links: pairs }) }));
  await db.query(
    `WITH s AS (
       SELECT * FROM unnest($1::uuid[], $2::real[], $3::int[], $4::int[]) AS s(id, score, reporters, blockers)
     ), gone AS (
       DELETE FROM safety_scores ss USING s
       WHERE ss.user_id = s.id AND s.score = 0 AND ss.suspended_at IS NULL
     )
     INSERT INTO safety_scores (user_id, harassment_score, independent_reporters, blockers, updated_at)
     SELECT id, score, reporters, blockers, now() FROM s WHERE score > 0
     ON CONFLICT (user_id) DO UPDATE SET harassment_score = EXCLUDED.harassment_score,
       independent_reporters = EXCLUDED.independent_reporters, blockers = EXCLUDED.blockers, updated_at = now()`,
    [
      scored.map((s) => s.id),
      scored.map((s) => s.score),
      scored.map((s) => s.independentReporters),
      scored.map((s) => s.independentBlockers),
    ],
  );
  for (const s of scored) {
    const excludedNow = s.score > HARASSMENT_THRESHOLD;
    const excludedBefore = s.previous !== null && Number(s.previous) > HARASSMENT_THRESHOLD;
    if (excludedNow && !excludedBefore) await invalidateSlatesShowing(db, s.id);
  }
  return rows.map((r) => r.id);
}

/** The `safety-scores` batch (nightly): every reported, blocked or scored person, 500 at a time. */
export const harassmentScoresPhase: BatchPhase = {
  name: "harassment scores",
  async total(db) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${TARGETS}) x`);
    return row.n;
  },
  async step(tx, cursor, limit) {
    const ids = await scoreChunk(tx, cursor, limit);
    return { processed: ids.length, cursor: ids.at(-1) ?? cursor, done: ids.length < limit };
  },
};
