import type { Queryable } from "../db/types";
import type { ClientEvent } from "./event-schema";

/** How many recent actions a person's features keep. */
export const RECENT_ACTIONS = 10;

export interface RecentAction {
  kind: string;
  targetType: string;
  targetId: string;
  at: string;
}

export interface BehaviourFeatures {
  /** Newest first, at most RECENT_ACTIONS. */
  lastActions: RecentAction[];
  /** Mean dwell of the last 7 days (ms), null without dwell events. */
  dwellAvg7dMs: number | null;
  /** Events per target and kind, most frequent first. */
  targetCounts: { targetType: string; targetId: string; kind: string; n: number; dwellMs: number; lastAt: string }[];
}

/**
 * Folds newly stored events into the person's features, in the ingesting transaction: the last
 * actions list, the day's dwell sum and count, and the per-target counts. Nothing is recomputed
 * from the raw events, so a read is a few primary-key lookups however much a person did.
 */
export async function updateBehaviourFeatures(
  tx: Queryable,
  userId: string,
  events: ClientEvent[],
  now: Date,
): Promise<void> {
  const recent = [...events]
    .sort((a, b) => Date.parse(b.clientTime) - Date.parse(a.clientTime))
    .slice(0, RECENT_ACTIONS)
    .map((e) => ({ kind: e.kind, targetType: e.targetType, targetId: e.targetId, at: isoUtc(e.clientTime) }));
  await tx.query(
    `INSERT INTO behaviour_recent AS r (user_id, last_actions, updated_at) VALUES ($1, $2::text::jsonb, $3)
     ON CONFLICT (user_id) DO UPDATE SET updated_at = EXCLUDED.updated_at, last_actions = (
       SELECT coalesce(jsonb_agg(a ORDER BY a->>'at' DESC), '[]'::jsonb)
       FROM (SELECT a FROM jsonb_array_elements(EXCLUDED.last_actions || r.last_actions) AS a
             ORDER BY a->>'at' DESC LIMIT ${RECENT_ACTIONS}) t)`,
    [userId, JSON.stringify(recent), now],
  );

  const dwells = events.filter((e) => e.dwellMs !== undefined);
  if (dwells.length > 0) {
    await tx.query(
      `INSERT INTO behaviour_dwell_daily AS d (user_id, day, dwell_ms, n)
       VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4)
       ON CONFLICT (user_id, day) DO UPDATE SET dwell_ms = d.dwell_ms + EXCLUDED.dwell_ms, n = d.n + EXCLUDED.n`,
      [userId, now, dwells.reduce((s, e) => s + e.dwellMs!, 0), dwells.length],
    );
  }

  const counts = new Map<
    string,
    { target_type: string; target_id: string; kind: string; n: number; dwell_ms: number }
  >();
  for (const e of events) {
    const k = JSON.stringify([e.targetType, e.targetId, e.kind]);
    const c = counts.get(k) ?? { target_type: e.targetType, target_id: e.targetId, kind: e.kind, n: 0, dwell_ms: 0 };
    c.n += 1;
    c.dwell_ms += e.dwellMs ?? 0;
    counts.set(k, c);
  }
  // In key order, so two batches of one person never wait on each other in a circle.
  const rows = [...counts.values()].sort((a, b) =>
    `${a.target_type}\u0000${a.target_id}\u0000${a.kind}` < `${b.target_type}\u0000${b.target_id}\u0000${b.kind}`
      ? -1
      : 1,
  );
  await tx.query(
    `INSERT INTO behaviour_target_counts AS c (user_id, target_type, target_id, kind, n, dwell_ms, last_at)
     SELECT $1, x.target_type, x.target_id, x.kind, x.n, x.dwell_ms, $3
     FROM jsonb_to_recordset($2::text::jsonb) AS x(target_type text, target_id text, kind text, n int, dwell_ms bigint)
     ON CONFLICT (user_id, target_type, target_id, kind)
     DO UPDATE SET n = c.n + EXCLUDED.n, dwell_ms = c.dwell_ms + EXCLUDED.dwell_ms,
                   last_at = greatest(c.last_at, EXCLUDED.last_at)`,
    [userId, JSON.stringify(rows), now],
  );
}

/** The person's behaviour features as the ranker and the item recommenders read them. */
export async function readBehaviourFeatures(
  db: Queryable,
  userId: string,
  now: Date = new Date(),
): Promise<BehaviourFeatures> {
  const [recent] = await db.query<{ last_actions: RecentAction[] }>(
    "SELECT last_actions FROM behaviour_recent WHERE user_id = $1",
    [userId],
  );
  const [dwell] = await db.query<{ avg: number | null }>(
    `SELECT sum(dwell_ms) / nullif(sum(n), 0) AS avg FROM behaviour_dwell_daily
     WHERE user_id = $1 AND day > ($2::timestamptz AT TIME ZONE 'UTC')::date - 7`,
    [userId, now],
  );
  const counts = await db.query<{
    target_type: string;
    target_id: string;
    kind: string;
    n: number;
    dwell_ms: number | string;
    last_at: Date | string;
  }>(
    `SELECT target_type, target_id, kind, n, dwell_ms, last_at FROM behaviour_target_counts WHERE user_id = $1
     ORDER BY n DESC, last_at DESC LIMIT 50`,
    [userId],
  );
  return {
    lastActions: recent?.last_actions ?? [],
    dwellAvg7dMs: dwell?.avg === null || dwell?.avg === undefined ? null : Number(dwell.avg),
    targetCounts: counts.map((c) => ({
      targetType: c.target_type,
      targetId: c.target_id,
      kind: c.kind,
      n: c.n,
      dwellMs: Number(c.dwell_ms),
      lastAt: new Date(c.last_at).toISOString(),
    })),
  };
}

const isoUtc = (t: string) => new Date(t).toISOString();

/**
 * Forgets the person's behaviour features (privacy propagation when `behaviour` goes off). They
 * start again from new events once it is back on; the raw events kept meanwhile are not replayed.
 */
export async function clearBehaviourFeatures(db: Queryable, userId: string): Promise<void> {
  for (const table of ["behaviour_recent", "behaviour_dwell_daily", "behaviour_target_counts"]) {
    await db.query(`DELETE FROM ${table} WHERE user_id = $1`, [userId]);
  }
}
