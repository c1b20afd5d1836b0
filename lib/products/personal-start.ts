import type { Queryable } from "../db/types";
import type { ItemAlgorithm } from "../items/config";
import type { ItemModelRow } from "../items/store";
import type { Candidate } from "./fallbacks";
import type { ExplorationPlan } from "./exploration";
import type { ImpressionLog } from "./impressions";

export interface PersonalStart {
  /** The person switched `recommendations` off: popular only. */
  optedOut: boolean;
  model: ItemModelRow | null;
  /** Their daily list under the active model, served and its impressions logged; null when none. */
  served: { generatedAt: Date; items: Candidate[]; explored: string | null } | null;
}

/**
 * Everything a signed-in request needs before it picks a path, in one statement (the cached
 * answer's whole cost is this round trip): the `recommendations` switch, the active model, and
 * the person's daily list under that model, joined to the catalogue (available products only),
 * cut to `limit` with the category cap (at most `cap` per top-level category while others remain,
 * then the capped ones: capPerCategory's rule), explored (applyExploration's rule: the plan's slot
 * takes the candidate `depth` places beyond the cut) and logged as impressions.
 * `limit` 0 skips the list (product page and cart answer from neighbour lists instead).
 */
export async function personalStart(
  db: Queryable,
  userId: string,
  scenario: string,
  limit: number,
  cap: number,
  log: ImpressionLog,
  plan: ExplorationPlan | null,
): Promise<PersonalStart> {
  const [row] = await db.query<{
    off: boolean;
    version: string | null;
    algorithm: ItemAlgorithm | null;
    trained_at: Date | string | null;
    generated_at: Date | string | null;
    ids: string[] | null;
    scores: number[] | null;
    explored: string | null;
  }>(
    `WITH head AS (
       SELECT EXISTS (SELECT 1 FROM privacy_settings
                      WHERE user_id = $1 AND category = 'recommendations' AND NOT enabled) AS off,
              m.version, m.algorithm, m.trained_at
       FROM (SELECT 1) AS one LEFT JOIN item_models m ON m.scenario = $2 AND m.active
     ), list AS (
       SELECT r.generated_at, r.items, r.scores FROM head h
       JOIN item_recommendations r
         ON $3 > 0 AND NOT h.off AND r.user_id = $1 AND r.scenario = $2 AND r.model_version = h.version
     ), ranked AS (
       SELECT u.id, u.score, u.ord,
              row_number() OVER (PARTITION BY coalesce(p.category[1], '') ORDER BY u.ord) AS nth
       FROM list, unnest(list.items, list.scores) WITH ORDINALITY AS u(id, score, ord)
       JOIN products p ON p.id = u.id AND p.available
       -- The head of the list is enough for the cut, the cap and the exploration depth; looking up
       -- all 100 products cost more than the rest of the read (1.7 of 2.2 ms in a plan at 100k).
       WHERE u.ord <= $3 * 4 + 20
     ), ordered AS (
       SELECT id, score, row_number() OVER (ORDER BY nth > $4, ord) AS rank FROM ranked
     ), pick AS (
       SELECT o.id, o.score FROM ordered o
       WHERE $7 > 0 AND (SELECT count(*) FROM ordered) > $3
         AND o.rank = $3 + least($8, (SELECT count(*) FROM ordered) - $3)
     ), served AS (
       SELECT id, score, rank AS position, false AS explored FROM ordered
       WHERE rank <= $3 AND NOT (rank = $7 AND EXISTS (SELECT 1 FROM pick))
       UNION ALL
       SELECT id, score, $7, true FROM pick
     ), logged AS (
       INSERT INTO events (user_id, kind, target_type, target_id, value, payload)
       SELECT $1, 'impression', 'product', s.id, s.position,
              jsonb_build_object('requestId', $5::text, 'modelVersion', h.version, 'context', $6::text,
                                 'source', 'personal')
                || CASE WHEN s.explored THEN '{"explored": true}'::jsonb ELSE '{}'::jsonb END
       FROM served s, head h
       RETURNING 1
     )
     SELECT h.off, h.version, h.algorithm, h.trained_at, (SELECT generated_at FROM list) AS generated_at,
            (SELECT array_agg(id ORDER BY position) FROM served) AS ids,
            (SELECT array_agg(score ORDER BY position) FROM served) AS scores,
            (SELECT id FROM served WHERE explored) AS explored, (SELECT count(*) FROM logged) AS logged
     FROM head h`,
    [userId, scenario, limit, cap, log.requestId, log.context, plan?.position ?? 0, plan?.depth ?? 0],
  );
  const model: ItemModelRow | null =
    row.version && row.algorithm && row.trained_at
      ? { version: row.version, algorithm: row.algorithm, trainedAt: new Date(row.trained_at) }
      : null;
  const served =
    row.generated_at && row.ids?.length
      ? {
          generatedAt: new Date(row.generated_at),
          items: row.ids.map((id, i) => ({ id, score: Number(row.scores?.[i] ?? 0) })),
          explored: row.explored,
        }
      : null;
  return { optedOut: row.off, model, served };
}
