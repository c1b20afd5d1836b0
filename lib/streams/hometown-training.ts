import type { Queryable } from "../db/types";
import type { BatchPhase } from "../jobs/batch";
import { fitPairwise, pairAccuracy, type PreferencePair } from "../items/pairwise";
import { WATCH_DAYS, WATCHED_STREAM_JOIN } from "./feed/candidates";
import { MIN_WATCH_MS } from "./feed/training-data";
import { splitByRequest } from "./feed/training";
import { HOMETOWN_LEARNED_FEATURES, learnedFeatures } from "./hometown-learned";

/** Fewer training pairs than this: no model (the term stays as it was). */
export const MIN_HOMETOWN_PAIRS = 20;
/** Bounds on one batch's work: watched (positive) pairs, unwatched per viewer, the negatives' pool. */
const MAX_POSITIVES = 20_000;
const NEGATIVES_PER_VIEWER = 5;
const NEGATIVE_POOL = 2_000;

interface ExampleRow {
  user_id: string;
  label: number;
  proximity: number;
  quality: number;
  language: boolean;
  category: boolean;
  viewer_count: number;
}

/**
 * Viewer-stream examples from watch events of the past WATCH_DAYS: a stream the viewer watched for
 * at least MIN_WATCH_MS is a positive; up to NEGATIVES_PER_VIEWER streams others watched (drawn
 * by a hash of the viewer from the most watched NEGATIVE_POOL) that the viewer did not are
 * negatives. Set-based throughout (no per-viewer subquery). Features as HOMETOWN computes them at
 * serving time, from the viewer's profile and preferences now (proximity 0 with `location` off or
 * no location). People with `behaviour` off are never examples.
 */
async function loadExamples(db: Queryable, now: Date): Promise<ExampleRow[]> {
  return db.query<ExampleRow>(
    `WITH watched AS (
       SELECT e.user_id, s.id AS stream_id, sum(greatest(e.value, 0)) AS ms
       FROM events e ${WATCHED_STREAM_JOIN}
       WHERE e.kind = 'watch' AND e.target_type = 'stream' AND e.user_id IS NOT NULL
         AND e.created_at > $1::timestamptz - make_interval(days => ${WATCH_DAYS}) AND NOT behaviour_off(e.user_id)
       GROUP BY 1, 2),
     pos AS (SELECT user_id, stream_id FROM watched WHERE ms >= $2 ORDER BY md5(user_id::text || stream_id::text) LIMIT $3),
     pool AS (SELECT stream_id, row_number() OVER (ORDER BY count(*) DESC, stream_id) AS n
              FROM watched GROUP BY 1 ORDER BY count(*) DESC, stream_id LIMIT $4),
     drawn AS (
       SELECT DISTINCT v.user_id, p.stream_id
       FROM (SELECT DISTINCT user_id FROM pos) v CROSS JOIN generate_series(0, 2 * $5::int - 1) k
       JOIN pool p ON p.n = 1 + (abs(hashtext(v.user_id::text)::bigint) + k * 7919) % (SELECT count(*) FROM pool)),
     neg AS (
       SELECT user_id, stream_id FROM (
         SELECT d.user_id, d.stream_id, row_number() OVER (PARTITION BY d.user_id ORDER BY md5(d.user_id::text || d.stream_id::text)) AS r
         FROM drawn d LEFT JOIN watched w ON w.user_id = d.user_id AND w.stream_id = d.stream_id AND w.ms >= $2
         WHERE w.user_id IS NULL) x
       WHERE r <= $5),
     ex AS (SELECT user_id, stream_id, 1 AS label FROM pos UNION ALL SELECT user_id, stream_id, 0 FROM neg)
     SELECT ex.user_id::text AS user_id, ex.label,
       CASE WHEN p.lat IS NULL OR p.lon IS NULL OR EXISTS (SELECT 1 FROM privacy_settings ps WHERE ps.user_id = ex.user_id
                 AND ps.category = 'location' AND NOT ps.enabled) THEN 0
            ELSE 1 / (1 + earth_distance(ll_to_earth(s.lat, s.lon), ll_to_earth(p.lat, p.lon)) / 1000) END::float8 AS proximity,
       s.quality_score::float8 AS quality, s.language = p.locale AS language,
       coalesce(s.category = ANY (sp.categories), false) AS category, s.viewer_count
     FROM ex JOIN streams s ON s.id = ex.stream_id JOIN profiles p ON p.user_id = ex.user_id
     LEFT JOIN stream_preferences sp ON sp.user_id = ex.user_id`,
    [now, MIN_WATCH_MS, MAX_POSITIVES, NEGATIVE_POOL, NEGATIVES_PER_VIEWER],
  );
}

/** Each viewer's watched streams preferred to their unwatched ones: pairs grouped by viewer. */
function pairsByViewer(rows: readonly ExampleRow[]): Map<string, PreferencePair[]> {
  const byViewer = new Map<string, { pos: number[][]; neg: number[][] }>();
  for (const r of rows) {
    const x = learnedFeatures({
      proximity: Number(r.proximity),
      quality: Number(r.quality),
      language: r.language,
      category: r.category,
      viewerCount: Number(r.viewer_count),
    });
    const v = byViewer.get(r.user_id) ?? { pos: [], neg: [] };
    (r.label === 1 ? v.pos : v.neg).push(x);
    byViewer.set(r.user_id, v);
  }
  const out = new Map<string, PreferencePair[]>();
  for (const [viewer, { pos, neg }] of byViewer) {
    const pairs = pos.flatMap((better) => neg.map((worse) => ({ better, worse })));
    if (pairs.length > 0) out.set(viewer, pairs);
  }
  return out;
}

export type HometownTrainingOutcome =
  | { trained: false; pairs: number; reason: string }
  | { trained: true; version: string; pairs: number; heldOutAccuracy: number };

/**
 * Fits the learned term as a pairwise logistic regression (lib/items/pairwise.ts: watched over
 * unwatched, per viewer; whole viewers held out) and activates it.
 */
export async function trainHometownModel(tx: Queryable, now: Date): Promise<HometownTrainingOutcome> {
  const { train, heldOut } = splitByRequest(pairsByViewer(await loadExamples(tx, now)));
  const pairs = train.length + heldOut.length;
  if (train.length < MIN_HOMETOWN_PAIRS)
    return { trained: false, pairs, reason: `fewer than ${MIN_HOMETOWN_PAIRS} training pairs` };
  const weights = fitPairwise(train, HOMETOWN_LEARNED_FEATURES.length, { l2: 0.01 });
  const heldOutAccuracy = pairAccuracy(heldOut.length > 0 ? heldOut : train, weights);
  const version = `hometown-lr-${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}`;
  const named = Object.fromEntries(HOMETOWN_LEARNED_FEATURES.map((f, i) => [f, Math.round(weights[i] * 1e6) / 1e6]));
  await tx.query("DELETE FROM hometown_models WHERE version = $1", [version]);
  await tx.query("UPDATE hometown_models SET active = false WHERE active");
  await tx.query(
    `INSERT INTO hometown_models (version, weights, pairs, metrics, active, trained_at)
     VALUES ($1, $2::text::jsonb, $3, $4::text::jsonb, true, $5)`,
    [version, JSON.stringify(named), pairs, JSON.stringify({ heldOutAccuracy, heldOutPairs: heldOut.length }), now],
  );
  return { trained: true, version, pairs, heldOutAccuracy };
}

/** Phase 3 of stream-feeds: HOMETOWN's learned term from watch events (no personal data stored). */
export function hometownModelPhase(now: () => Date): BatchPhase {
  return {
    name: "hometown learned term",
    total: async () => 1,
    async step(tx) {
      console.log(`[mesh] stream-feeds: ${JSON.stringify(await trainHometownModel(tx, now()))}`);
      return { processed: 1, cursor: null, done: true };
    },
  };
}
