import type { Queryable } from "../../db/types";
import { computeFeatures } from "../features";
import type { TrainingExample } from "./training-math";
import { retrieveCandidates } from "../retrieve";
import { featureNames, type FeatureVector } from "../types";
import { loadViewer } from "../viewer";

/** Feedback that says the viewer wanted (1) or did not want (0) to meet the target. */
export const POSITIVE_ACTIONS = ["connect", "connect_accept", "more_like_this"] as const;
export const NEGATIVE_ACTIONS = ["pass", "less_like_this"] as const;
/** A look at a shown person this long (a dwell event) without explicit feedback counts as wanting. */
export const POSITIVE_DWELL_MS = 10_000;

/** A logged feature vector when it names every feature as a number; null otherwise. */
function loggedFeatures(value: unknown): FeatureVector | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  return featureNames.every((f) => typeof v[f] === "number") ? (v as FeatureVector) : null;
}

/**
 * Labelled examples: per (viewer, target) the latest outcome, the most recent `limit` pairs.
 * Outcomes are explicit feedback (connect, accept, more/less like this, pass; clicks are too weak
 * either way) or, for a shown person with none, a dwell of POSITIVE_DWELL_MS or more. Each outcome
 * is joined to the latest impression of that target before it, whose logged features (what the
 * ranker saw when it showed them) are the example's. Outcomes without such an impression (feedback
 * from before impressions logged features, or on someone reached another way) fall back to
 * features recomputed now with the serving code: today's, not those shown at the time (a known
 * bias, counted in the model's metrics). Feedback of people whose `behaviour` switch is off is
 * never a label, nor is feedback given while it was off (`learnable`, set by the table's trigger).
 */
export async function loadTrainingExamples(db: Queryable, limit = 20_000): Promise<TrainingExample[]> {
  const rows = await db.query<{
    user_id: string;
    target_user_id: string;
    label: number;
    at: Date | string;
    features: unknown;
  }>(
    `WITH explicit AS (
       SELECT DISTINCT ON (user_id, target_user_id) user_id, target_user_id::text AS target_id,
              (action = ANY($1::text[]))::int AS label, created_at AS at
       FROM feedback
       WHERE target_user_id IS NOT NULL AND action = ANY($1::text[] || $2::text[]) AND learnable
       ORDER BY user_id, target_user_id, created_at DESC, id DESC
     ), dwelled AS (
       SELECT DISTINCT ON (e.user_id, e.target_id) e.user_id, e.target_id, 1 AS label,
              e.created_at AS at
       FROM events e
       WHERE e.kind = 'dwell' AND e.target_type = 'person' AND e.value >= $4 AND e.user_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM explicit x WHERE x.user_id = e.user_id AND x.target_id = e.target_id)
       ORDER BY e.user_id, e.target_id, e.created_at DESC
     ), outcomes AS (
       SELECT * FROM explicit UNION ALL SELECT * FROM dwelled
     )
     SELECT o.user_id::text AS user_id, o.target_id AS target_user_id, o.label, o.at, imp.features
     FROM outcomes o
     LEFT JOIN LATERAL (
       SELECT e.payload -> 'features' AS features FROM events e
       WHERE e.user_id = o.user_id AND e.kind = 'impression' AND e.target_id = o.target_id
         AND e.created_at <= o.at AND e.payload ? 'features'
       ORDER BY e.created_at DESC LIMIT 1
     ) imp ON true
     WHERE NOT behaviour_off(o.user_id)
     ORDER BY o.at DESC LIMIT $3`,
    [[...POSITIVE_ACTIONS], [...NEGATIVE_ACTIONS], limit, POSITIVE_DWELL_MS],
  );
  const examples: TrainingExample[] = [];
  const recompute = new Map<string, typeof rows>();
  for (const r of rows) {
    const features = loggedFeatures(r.features);
    const label = r.label === 1 ? 1 : 0;
    if (features) examples.push({ features, label, at: new Date(r.at).getTime(), logged: true });
    else recompute.set(r.user_id, [...(recompute.get(r.user_id) ?? []), r]);
  }
  for (const [viewerId, pairs] of recompute) {
    const loaded = await loadViewer(db, viewerId).catch(() => null);
    if (!loaded) continue;
    for (const p of pairs) {
      // Targets gone, blocked or no longer discoverable are skipped.
      const [raw] = await retrieveCandidates(db, loaded.viewer, { kind: "target", targetId: p.target_user_id });
      if (!raw) continue;
      examples.push({
        features: computeFeatures(loaded.viewer, raw).features,
        label: p.label === 1 ? 1 : 0,
        at: new Date(p.at).getTime(),
      });
    }
  }
  return examples;
}
