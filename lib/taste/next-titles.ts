import type { Queryable } from "../db/types";
import { favoriteInUseSql } from "../favorites/in-use";
import type { BatchPhase } from "../jobs/batch";
import { algorithmFor, NEIGHBOURS_PER_ITEM } from "../items/config";
import { easeScorer } from "../items/ease";
import { interactionMatrix, type InteractionMatrix } from "../items/interactions";
import { itemKnnNeighbours } from "../items/item-knn";
import { indexNeighbours, scoreIndexedParts, scoringScratch, topOfRow } from "../items/neighbours";
import {
  activeItemModel,
  dropStaleRecommendations,
  storeItemModel,
  storeRecommendations,
  type PersonList,
} from "../items/store";
import { FIT_USER_LIMIT, UNRATED_AS } from "./collaborative";

/**
 * Each person's next titles: the titles an item model, fitted on who loves and who holds what,
 * predicts they will love and do not have yet. Discovery builds a slate whose people's favorites
 * point there (lib/discovery/vote-set.ts). Kept in the item engine's tables under the scenario 'titles':
 * item_models (the run), item_recommendations (the lists), item_popularity (fans per title); and
 * each person's loved titles in user_loved_titles, which the vote set reads as their votes.
 */
export const TITLES_SCENARIO = "titles";
/** Titles kept per person: the length of the list a slate's votes are measured against. */
export const NEXT_TITLES = 10;
/**
 * The model is two, blended: one fitted on who loves what (what people loved beside your loved
 * titles) and one on who holds what, loved or not (what people chose beside everything you chose,
 * a 2-star film included): score = loved + TITLES_HELD_WEIGHT x held. Both with EASE's λ
 * TITLES_EASE_LAMBDA (lib/items/ease.ts scales it to the weights). Chosen on MovieLens 100K on a
 * validation split of the training ratings (each person's ratings split again 80/20, as the
 * evaluation splits them), never the held-out films: NDCG@10 of the top 10 there 0.2515 for
 * λ 500 and 0.5, against 0.2415 for the loved model alone at λ 500 and 0.2386 at λ 200 (the
 * grid λ 100-1,000 x weight 0-1: eval/movielens/vote-set.ts validatedTarget). People whose
 * titles are all unrated or loved get the loved model's order from both.
 */
export const TITLES_EASE_LAMBDA = 500;
export const TITLES_HELD_WEIGHT = 0.5;

/**
 * A favorite a person loves: rated 4 stars or more, liked, or kept without a rating (a saved
 * track, a shelved book count as UNRATED_AS stars, as the taste vectors read them). Over one
 * person's rows of one title (a title can come from several sources).
 */
export const LOVED_SQL = `(coalesce(max(f.rating), ${UNRATED_AS}) >= 4 OR bool_or(f.liked))`;

interface Model {
  version: string;
  /** When the run began (its model's trained_at): loved-title rows older than this are stale. */
  startedAt: Date;
  matrix: InteractionMatrix;
  /** Fans per title (item_popularity as this run wrote it). */
  fans: Map<string, number>;
  /**
   * A person's next titles (at most NEXT_TITLES, best first, scores above 0) from their loved and
   * held titles (matrix numbers; loved among held): never one they hold.
   */
  next: (loved: Int32Array, held: Int32Array) => { id: string; score: number }[];
}

/** `length` copies of `value`, from one buffer grown as needed (a person's weights, read only). */
function constantWeights(value: number): (length: number) => Float64Array {
  let buffer = new Float64Array(0);
  return (length) => {
    if (buffer.length < length) buffer = new Float64Array(Math.max(length, 2 * buffer.length)).fill(value);
    return buffer.subarray(0, length);
  };
}
const ones = constantWeights(1);
const heldWeights = constantWeights(TITLES_HELD_WEIGHT);

/** The model of the run in progress, kept between its chunks (refitted after a restart). */
let current: Model | null = null;

/**
 * Who holds what and, over the same title numbers, who loves what: the two matrices the next
 * titles' models are fitted on, from one row per person and title.
 */
export function titleMatrices(rows: readonly { person: string; item: string; loved: boolean }[]): {
  held: InteractionMatrix;
  loved: InteractionMatrix;
} {
  const held = interactionMatrix(rows.map((r) => ({ ...r, weight: 1 })));
  const loved = interactionMatrix(
    rows.map((r) => ({ ...r, weight: r.loved ? 1 : 0 })),
    held.items,
  );
  return { held, loved };
}

/**
 * Fits on a deterministic sample of at most FIT_USER_LIMIT people's favorites in use (as the
 * collaborative title factors do): EASE up to EASE_MAX_ITEMS titles, item-kNN above.
 */
async function fit(tx: Queryable, now: Date, resume: { version: string; trainedAt: Date } | null): Promise<Model> {
  const rows = await tx.query<{ person: string; item: string; loved: boolean }>(
    `WITH sample AS (
       SELECT user_id FROM (SELECT DISTINCT f.user_id FROM favorite_items f WHERE ${favoriteInUseSql("f")}) s
       ORDER BY md5(user_id::text) LIMIT $1)
     SELECT f.user_id::text AS person, f.media_id::text AS item, ${LOVED_SQL} AS loved
     FROM favorite_items f JOIN sample s USING (user_id)
     WHERE ${favoriteInUseSql("f")}
     GROUP BY f.user_id, f.media_id
     ORDER BY 1, 2`,
    [FIT_USER_LIMIT],
  );
  const { held: matrix, loved: lovedMatrix } = titleMatrices(rows);
  const n = matrix.items.length;
  const algorithm = algorithmFor(n);
  let next: Model["next"];
  if (algorithm === "ease") {
    const lovedScorer = easeScorer(lovedMatrix, TITLES_EASE_LAMBDA);
    const heldScorer = easeScorer(matrix, TITLES_EASE_LAMBDA);
    next = (loved, held) => {
      const s = lovedScorer(loved, ones(loved.length));
      const h = heldScorer(held, heldWeights(held.length));
      for (let j = 0; j < n; j++) s[j] += h[j];
      for (const j of held) s[j] = 0;
      const top = topOfRow(s, NEXT_TITLES, -1);
      return top.index.map((j, rank) => ({ id: matrix.items[j], score: top.score[rank] }));
    };
  } else {
    // Numbered as the matrix: a person's titles are scored through both with one scratch.
    const lovedNeighbours = indexNeighbours(itemKnnNeighbours(lovedMatrix, NEIGHBOURS_PER_ITEM), matrix.items);
    const heldNeighbours = indexNeighbours(itemKnnNeighbours(matrix, NEIGHBOURS_PER_ITEM), matrix.items);
    const scratch = scoringScratch(heldNeighbours);
    next = (loved, held) =>
      scoreIndexedParts(
        [
          { neighbours: lovedNeighbours, items: loved, weights: ones(loved.length) },
          { neighbours: heldNeighbours, items: held, weights: heldWeights(held.length) },
        ],
        NEXT_TITLES,
        scratch,
      );
  }
  // A resumed run refits the same data under the run's version: the lists already written stay.
  if (resume) return { version: resume.version, startedAt: resume.trainedAt, fans: await fansOf(tx), matrix, next };
  const version = await storeItemModel(tx, TITLES_SCENARIO, algorithm, new Map(), matrix.people.length, now, n);
  // Fans per title among favorites in use (any rating): how widely loved, for the vote's ties.
  await tx.query("DELETE FROM item_popularity WHERE scenario = $1", [TITLES_SCENARIO]);
  const written = await tx.query<{ item_id: string; score: number }>(
    `INSERT INTO item_popularity (scenario, item_id, score, computed_at)
     SELECT $1, f.media_id::text, count(DISTINCT f.user_id)::float8, $2 FROM favorite_items f
     WHERE ${favoriteInUseSql("f")} GROUP BY f.media_id
     RETURNING item_id, score`,
    [TITLES_SCENARIO, now],
  );
  return { version, startedAt: now, fans: fansFrom(written), matrix, next };
}

/** Titles' next-title lists, as one phase of the taste-vectors job: the fit, then people in keyset chunks. */
export function nextTitlesPhase(now: () => Date): BatchPhase {
  return {
    name: "next titles",
    async total(db) {
      const [row] = await db.query<{ n: number }>(
        `SELECT count(DISTINCT f.user_id)::int AS n FROM favorite_items f WHERE ${favoriteInUseSql("f")}`,
      );
      return row.n;
    },
    async step(tx, cursor, limit) {
      if (cursor === null) current = await fit(tx, now(), null);
      else if (!current) current = await fit(tx, now(), await activeItemModel(tx, TITLES_SCENARIO));
      const model = current;
      // Each chunk's statements are short: compiling them (PostgreSQL's JIT, about 60 ms a
      // statement here) cost more than running them, 9 s of the phase's 64 s on 100,000 people.
      await tx.query("SET LOCAL jit = off");
      const people = await tx.query<{ person: string; items: string[]; loved: boolean[]; listed: boolean }>(
        `WITH chunk AS MATERIALIZED (
           SELECT DISTINCT f.user_id FROM favorite_items f
           WHERE ${favoriteInUseSql("f")} AND ($1::uuid IS NULL OR f.user_id > $1::uuid)
           ORDER BY f.user_id LIMIT $2)
         SELECT f.user_id::text AS person, array_agg(f.media_id::text ORDER BY f.media_id) AS items,
                array_agg(f.loved ORDER BY f.media_id) AS loved,
                NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = f.user_id
                            AND s.category = 'recommendations' AND NOT s.enabled) AS listed
         FROM (SELECT f.user_id, f.media_id, ${LOVED_SQL} AS loved
               FROM chunk c JOIN favorite_items f ON f.user_id = c.user_id
               WHERE ${favoriteInUseSql("f")}
               GROUP BY f.user_id, f.media_id) f
         GROUP BY f.user_id ORDER BY f.user_id`,
        [cursor, limit],
      );
      const lists: PersonList[] = [];
      const loved: { person: string; titles: string[]; fans: number[] }[] = [];
      for (const p of people) {
        const titles = p.items.filter((_, i) => p.loved[i]);
        if (titles.length) loved.push({ person: p.person, titles, fans: titles.map((t) => model.fans.get(t) ?? 0) });
        if (!p.listed) continue;
        // The person's titles as matrix numbers, loved ones among them (titles the fit never saw have none).
        const held = new Int32Array(p.items.length);
        const lovedNumbers = new Int32Array(p.items.length);
        let h = 0;
        let l = 0;
        p.items.forEach((id, i) => {
          const j = model.matrix.itemIndex.get(id);
          if (j === undefined) return;
          held[h++] = j;
          if (p.loved[i]) lovedNumbers[l++] = j;
        });
        if (!h) continue;
        const next = model.next(lovedNumbers.subarray(0, l), held.subarray(0, h));
        if (next.length) lists.push({ person: p.person, items: next });
      }
      await storeRecommendations(tx, TITLES_SCENARIO, model.version, lists, now());
      await storeLovedTitles(tx, loved, now());
      const done = people.length < limit;
      // People who left (favorites or recommendations off, deleted, nothing loved) lose their rows.
      if (done) {
        await dropStaleRecommendations(tx, TITLES_SCENARIO, model.version);
        await tx.query("DELETE FROM user_loved_titles WHERE computed_at < $1", [model.startedAt]);
        current = null;
      }
      return { processed: people.length, cursor: people.at(-1)?.person ?? cursor, done };
    },
  };
}

/** Writes (replaces) people's loved-title rows: what their favorites vote for in others' vote sets. */
async function storeLovedTitles(
  tx: Queryable,
  rows: { person: string; titles: string[]; fans: number[] }[],
  now: Date,
) {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO user_loved_titles (user_id, titles, fans, computed_at)
     SELECT (r->>'person')::uuid, ARRAY(SELECT jsonb_array_elements_text(r->'titles')),
            ARRAY(SELECT jsonb_array_elements_text(r->'fans')::real), $2
     FROM jsonb_array_elements($1::text::jsonb) r
     ON CONFLICT (user_id) DO UPDATE SET titles = EXCLUDED.titles, fans = EXCLUDED.fans,
       computed_at = EXCLUDED.computed_at`,
    [JSON.stringify(rows), now],
  );
}

/** Fans per title as this run wrote them (read back by a resumed run). */
async function fansOf(tx: Queryable): Promise<Map<string, number>> {
  return fansFrom(
    await tx.query<{ item_id: string; score: number }>(
      "SELECT item_id, score FROM item_popularity WHERE scenario = $1",
      [TITLES_SCENARIO],
    ),
  );
}

function fansFrom(rows: readonly { item_id: string; score: number }[]): Map<string, number> {
  return new Map(rows.map((r) => [r.item_id, Number(r.score)]));
}
