import type { Queryable } from "../../db/types";
import { computeFeatures } from "../features";
import type { TrainingExample } from "./training-math";
import { retrieveCandidates } from "../retrieve";
import { loadViewer } from "../viewer";

/** Feedback that says the viewer wanted (1) or did not want (0) to meet the target. */
export const POSITIVE_ACTIONS = ["connect", "connect_accept", "more_like_this"] as const;
export const NEGATIVE_ACTIONS = ["pass", "less_like_this"] as const;

/**
 * Labelled examples from `feedback`: per (viewer, target) the latest labelled action (clicks are
 * ignored: too weak either way), the most recent `limit` pairs. Features are recomputed now with
 * the serving code (viewer load + the one-target retrieval + computeFeatures): impressions do not
 * log features yet, so a pair's features are today's, not those shown at the time (a known bias,
 * e.g. an accepted connection has since changed mutual-connection counts around it). Pairs whose
 * target is gone, blocked or no longer discoverable are skipped. Feedback of people whose
 * `behaviour` switch is off is never a label, nor is feedback given while it was off (`learnable`,
 * set by the table's trigger), so a model trained after the switch has never seen it.
 */
export async function loadTrainingExamples(db: Queryable, limit = 20_000): Promise<TrainingExample[]> {
  const rows = await db.query<{ user_id: string; target_user_id: string; action: string; at: Date | string }>(
    `SELECT user_id::text AS user_id, target_user_id::text AS target_user_id, action, at FROM (
       SELECT DISTINCT ON (user_id, target_user_id) user_id, target_user_id, action, created_at AS at
       FROM feedback
       WHERE target_user_id IS NOT NULL AND action = ANY($1::text[]) AND learnable AND NOT behaviour_off(user_id)
       ORDER BY user_id, target_user_id, created_at DESC, id DESC
     ) latest ORDER BY at DESC LIMIT $2`,
    [[...POSITIVE_ACTIONS, ...NEGATIVE_ACTIONS], limit],
  );
  const byViewer = new Map<string, typeof rows>();
  for (const r of rows) byViewer.set(r.user_id, [...(byViewer.get(r.user_id) ?? []), r]);
  const positive = new Set<string>(POSITIVE_ACTIONS);
  const examples: TrainingExample[] = [];
  for (const [viewerId, pairs] of byViewer) {
    const loaded = await loadViewer(db, viewerId).catch(() => null);
    if (!loaded) continue;
    for (const p of pairs) {
      const [raw] = await retrieveCandidates(db, loaded.viewer, { kind: "target", targetId: p.target_user_id });
      if (!raw) continue;
      examples.push({
        features: computeFeatures(loaded.viewer, raw).features,
        label: positive.has(p.action) ? 1 : 0,
        at: new Date(p.at).getTime(),
      });
    }
  }
  return examples;
}
