import type { Queryable } from "../db/types";
import { fromVectorColumn } from "../db/vector";
import type { RawCandidate, Reason, ScoredCandidate, ViewerContext } from "./types";

/**
 * Swipe-to-tune: "more like this" and "less like this" move the viewer's own next slates. The
 * feedback rows are the state (no table of their own): each one in the last TUNE_WINDOW_DAYS pulls
 * toward (more) or pushes away from (less) the target's taste vector, with a weight halving every
 * TUNE_HALF_LIFE_DAYS. Their weighted sum is a short-term preference vector that
 *  - retrieval uses: the taste ANN searches from the viewer's taste moved toward it, so more people
 *    near the liked ones enter the pool (tunedViewer);
 *  - ranking uses: each candidate's score moves by their similarity to the liked (and disliked)
 *    people, and a candidate lifted by a like says so ("Because you liked …", applyTune).
 * It is the person's behaviour, so it applies only while their `behaviour` switch is on; the
 * target's taste counts only while the target's `favorites` switch is on.
 */
export const TUNE_WINDOW_DAYS = 14;
export const TUNE_HALF_LIFE_DAYS = 3;
/** How far the ANN query moves toward the preference (1: as far as the viewer's own taste weighs). */
export const TUNE_QUERY_SHIFT = 0.8;
/** Score points per unit of similarity to the preference (the prior ranker's scores are in [0, 1]). */
export const TUNE_RANK_WEIGHT = 0.15;
const MAX_TARGETS = 20;

export interface TuneTarget {
  userId: string;
  displayName: string;
  /** +1 more like this, -1 less like this. */
  sign: 1 | -1;
  /** Decayed weight, summed over repeated feedback on the same person. */
  weight: number;
  taste: number[];
}

export interface Tune {
  targets: TuneTarget[];
}

/** What tuning did to one candidate: the score it added and the liked person it comes from. */
export interface TuneEffect {
  delta: number;
  liked: string | null;
}

interface TuneRow {
  target: string;
  name: string;
  sign: number;
  weight: number;
  taste: string;
}

/** The viewer's recent tuning feedback with the targets' taste vectors; null when there is none. */
export async function loadTune(db: Queryable, viewer: ViewerContext): Promise<Tune | null> {
  if (!viewer.permissions.behaviour) return null;
  const rows = await db.query<TuneRow>(
    `SELECT f.target_user_id AS target, p.display_name AS name,
            CASE f.action WHEN 'more_like_this' THEN 1 ELSE -1 END AS sign,
            sum(power(0.5, extract(epoch FROM now() - f.created_at) / 86400 / $2::float8)) AS weight,
            t.taste::text AS taste
     FROM feedback f
     JOIN user_taste_vectors t ON t.user_id = f.target_user_id
     JOIN profiles p ON p.user_id = f.target_user_id
     WHERE f.user_id = $1 AND f.action IN ('more_like_this', 'less_like_this')
       AND f.created_at > now() - make_interval(days => $3::int)
       -- Vectors compare only within one taste model (a refit changes the space).
       AND t.model_version = coalesce((SELECT v.model_version FROM user_taste_vectors v WHERE v.user_id = $1), t.model_version)
       AND NOT EXISTS (SELECT 1 FROM discovery_hidden('favorites') h WHERE h.user_id = f.target_user_id)
     GROUP BY f.target_user_id, p.display_name, f.action, t.taste
     ORDER BY max(f.created_at) DESC
     LIMIT ${MAX_TARGETS}`,
    [viewer.userId, TUNE_HALF_LIFE_DAYS, TUNE_WINDOW_DAYS],
  );
  if (rows.length === 0) return null;
  return {
    targets: rows.map((r) => ({
      userId: r.target,
      displayName: r.name,
      sign: Number(r.sign) > 0 ? 1 : -1,
      weight: Number(r.weight),
      taste: fromVectorColumn(r.taste),
    })),
  };
}

/** Divides by the total weight once it passes 1: one like counts fully, many are averaged. */
const scale = (tune: Tune) =>
  1 /
  Math.max(
    1,
    tune.targets.reduce((s, t) => s + t.weight, 0),
  );

/** The short-term preference vector: signed, decayed, scaled sum of the targets' tastes. */
export function preferenceVector(tune: Tune): number[] {
  const k = scale(tune);
  const p = new Array<number>(tune.targets[0].taste.length).fill(0);
  for (const t of tune.targets) for (let i = 0; i < p.length; i++) p[i] += k * t.sign * t.weight * t.taste[i];
  return p;
}

/**
 * The viewer as retrieval and features see them: their taste moved toward the preference and
 * re-normalised. Someone without a taste vector of their own is searched from what they liked
 * (never from dislikes alone).
 */
export function tunedViewer(viewer: ViewerContext, tune: Tune | null): ViewerContext {
  if (!tune) return viewer;
  const liked = tune.targets.some((t) => t.sign > 0);
  if (!viewer.taste && !liked) return viewer;
  const p = preferenceVector(tune);
  const q = p.map((x, i) => (viewer.taste?.[i] ?? 0) + TUNE_QUERY_SHIFT * x);
  const norm = Math.hypot(...q);
  return norm > 0 ? { ...viewer, taste: q.map((x) => x / norm) } : viewer;
}

/**
 * Each candidate's cosine similarity to each target, in the targets' order (one statement; only
 * candidates whose taste may be used: retrieval returned a taste similarity for them).
 */
export async function loadTuneSimilarities(
  db: Queryable,
  tune: Tune,
  candidates: RawCandidate[],
): Promise<Map<string, number[]>> {
  const ids = candidates.filter((c) => c.tasteSimilarity !== null).map((c) => c.userId);
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; sims: number[] }>(
    `SELECT u.user_id AS id, array_agg(1 - (u.taste <=> kt.taste) ORDER BY k.ord) AS sims
     FROM user_taste_vectors u
     CROSS JOIN unnest($2::uuid[]) WITH ORDINALITY AS k(target_id, ord)
     JOIN user_taste_vectors kt ON kt.user_id = k.target_id
     WHERE u.user_id = ANY ($1::uuid[])
     GROUP BY u.user_id`,
    [ids, tune.targets.map((t) => t.userId)],
  );
  return new Map(rows.map((r) => [r.id, r.sims.map(Number)]));
}

/** Moves each candidate's score by its similarity to the preference; re-sorted. */
export function applyTune(
  candidates: ScoredCandidate[],
  tune: Tune,
  similarities: Map<string, number[]>,
): ScoredCandidate[] {
  const k = scale(tune);
  return candidates
    .map((c) => {
      const sims = similarities.get(c.raw.userId);
      if (!sims || sims.length !== tune.targets.length) return c;
      let delta = 0;
      let best = 0;
      let liked: string | null = null;
      tune.targets.forEach((t, i) => {
        const part = TUNE_RANK_WEIGHT * k * t.sign * t.weight * sims[i];
        delta += part;
        // A liked person's own card is not "like" them: name someone else.
        if (t.sign > 0 && part > best && t.userId !== c.raw.userId) {
          best = part;
          liked = t.displayName;
        }
      });
      return { ...c, score: c.score + delta, tune: { delta, liked } };
    })
    .sort((a, b) => b.score - a.score || a.raw.userId.localeCompare(b.raw.userId));
}

/** "Because you liked …" leads the reasons of a candidate a like lifted noticeably. */
export function withTuneReason(c: ScoredCandidate, reasons: Reason[], max = 2): Reason[] {
  const effect = c.tune;
  if (!effect?.liked || effect.delta < 0.01) return reasons;
  return [{ kind: "liked_similar" as const, name: effect.liked }, ...reasons].slice(0, max);
}
