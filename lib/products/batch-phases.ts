import type { Queryable } from "../db/types";
import type { BatchPhase } from "../jobs/batch";
import { CACHED_PER_PERSON } from "../items/config";
import { fitItemModel, type FittedItemModel } from "../items/model";
import { indexNeighbours, scoreIndexedHistory, scoringScratch, type IndexedNeighbours } from "../items/neighbours";
import type { Interaction } from "../items/interactions";
import {
  activeItemModel,
  dropStaleRecommendations,
  loadNeighbours,
  storeItemModel,
  storeRecommendations,
} from "../items/store";
import { interactionMatrix } from "../items/interactions";
import { POPULAR_DAYS, TRAINING_DAYS, WEIGHT_SQL, WEIGHTED_KINDS_SQL } from "./events";

export const SCENARIO = "products";

/**
 * Training interactions: signed-in people's weighted product events of the past TRAINING_DAYS on
 * products still in the catalogue, leaving out everyone with `recommendations` off.
 */
async function trainingInteractions(db: Queryable, now: Date): Promise<Interaction[]> {
  const rows = await db.query<{ person: string; item: string; weight: number }>(
    `SELECT e.user_id::text AS person, e.target_id AS item, sum(${WEIGHT_SQL})::float8 AS weight
     FROM events e
     WHERE e.target_type = 'product' AND e.user_id IS NOT NULL AND e.kind IN ${WEIGHTED_KINDS_SQL}
       AND e.created_at > $1::timestamptz - make_interval(days => ${TRAINING_DAYS})
       AND EXISTS (SELECT 1 FROM products p WHERE p.id = e.target_id)
       AND NOT EXISTS (SELECT 1 FROM privacy_settings s
                       WHERE s.user_id = e.user_id AND s.category = 'recommendations' AND NOT s.enabled)
     GROUP BY 1, 2`,
    [now],
  );
  return rows.map((r) => ({ person: r.person, item: r.item, weight: Number(r.weight) }));
}

/** The fitted model of the run in progress, kept between its chunks (rebuilt after a restart). */
let current: { version: string; matrix: FittedItemModel["matrix"]; indexed: IndexedNeighbours } | null = null;

/** Phase 1: fit the model, store its neighbour lists and the popularity table. */
export function productModelPhase(now: () => Date): BatchPhase {
  return {
    name: "product model",
    total: async () => 1,
    async step(tx) {
      const at = now();
      const model = fitItemModel(await trainingInteractions(tx, at));
      const version = await storeItemModel(
        tx,
        SCENARIO,
        model.algorithm,
        model.neighbours,
        model.matrix.people.length,
        at,
      );
      current = { version, matrix: model.matrix, indexed: indexNeighbours(model.neighbours, model.matrix.items) };
      await tx.query("DELETE FROM item_popularity WHERE scenario = $1", [SCENARIO]);
      await tx.query(
        `INSERT INTO item_popularity (scenario, item_id, score, computed_at)
         SELECT $1, e.target_id, sum(${WEIGHT_SQL})::float8, $2 FROM events e
         WHERE e.target_type = 'product' AND e.kind IN ${WEIGHTED_KINDS_SQL}
           AND e.created_at > $2::timestamptz - make_interval(days => ${POPULAR_DAYS})
           AND EXISTS (SELECT 1 FROM products p WHERE p.id = e.target_id)
         GROUP BY e.target_id`,
        [SCENARIO, at],
      );
      return { processed: 1, cursor: null, done: true };
    },
  };
}

async function currentModel(tx: Queryable, now: Date) {
  const active = await activeItemModel(tx, SCENARIO);
  if (!active) return null;
  if (current?.version !== active.version) {
    const matrix = interactionMatrix(await trainingInteractions(tx, now));
    const indexed = indexNeighbours(await loadNeighbours(tx, active.version), matrix.items);
    current = { version: active.version, matrix, indexed };
  }
  return current;
}

/** Phase 2: each trained person's top CACHED_PER_PERSON, in chunks; then lists of older models go. */
export function productListsPhase(now: () => Date): BatchPhase {
  return {
    name: "product lists",
    async total(db) {
      const [row] = await db.query<{ people: number }>(
        "SELECT people FROM item_models WHERE scenario = $1 AND active",
        [SCENARIO],
      );
      return Number(row?.people ?? 0);
    },
    async step(tx, cursor, limit) {
      const at = now();
      const state = await currentModel(tx, at);
      if (!state) return { processed: 0, cursor: null, done: true };
      const { matrix, indexed } = state;
      const start = cursor ? Number(cursor) : 0;
      const end = Math.min(start + limit, matrix.people.length);
      const scratch = scoringScratch(indexed);
      const lists = [];
      for (let p = start; p < end; p++) {
        const row = matrix.byPerson[p];
        const items = scoreIndexedHistory(indexed, row.items, row.weights, CACHED_PER_PERSON, scratch);
        lists.push({ person: matrix.people[p], items });
      }
      await storeRecommendations(
        tx,
        SCENARIO,
        state.version,
        lists.filter((l) => l.items.length > 0),
        at,
      );
      const done = end >= matrix.people.length;
      if (done) await dropStaleRecommendations(tx, SCENARIO, state.version);
      return { processed: end - start, cursor: String(end), done };
    },
  };
}
