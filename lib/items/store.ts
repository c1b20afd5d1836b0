import type { Queryable } from "../db/types";
import type { ItemAlgorithm } from "./config";
import type { ItemNeighbours } from "./neighbours";

/** A fitted model as the tables hold it; `scenario` names the catalogue ('products', later 'streams'). */
export interface ItemModelRow {
  version: string;
  algorithm: ItemAlgorithm;
  trainedAt: Date;
}

const CHUNK = 2000;

/**
 * Stores a fitted model's neighbour lists under a new version and makes it the active one, in the
 * caller's transaction; older versions of the scenario (and their lists) are dropped.
 */
export async function storeItemModel(
  tx: Queryable,
  scenario: string,
  algorithm: ItemAlgorithm,
  neighbours: ItemNeighbours,
  people: number,
  now: Date,
  /** Items the model scores (its neighbour lists, unless the caller keeps the model dense). */
  itemCount = neighbours.size,
): Promise<string> {
  const version = `${scenario}-${algorithm}-${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}`;
  await tx.query("DELETE FROM item_models WHERE version = $1", [version]);
  await tx.query(
    "INSERT INTO item_models (version, scenario, algorithm, items, people, trained_at) VALUES ($1, $2, $3, $4, $5, $6)",
    [version, scenario, algorithm, itemCount, people, now],
  );
  const rows = [...neighbours].filter(([, n]) => n.ids.length > 0);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const slice = rows.slice(i, i + CHUNK);
    await tx.query(
      `INSERT INTO item_neighbours (model_version, item_id, neighbours, scores)
       SELECT $1, r.item, ARRAY(SELECT jsonb_array_elements_text(r.ids)),
              ARRAY(SELECT jsonb_array_elements_text(r.scores)::real)
       FROM jsonb_to_recordset($2::text::jsonb) AS r(item text, ids jsonb, scores jsonb)`,
      [version, JSON.stringify(slice.map(([item, n]) => ({ item, ids: n.ids, scores: [...n.scores] })))],
    );
  }
  await tx.query("UPDATE item_models SET active = false WHERE scenario = $1 AND active", [scenario]);
  await tx.query("UPDATE item_models SET active = true WHERE version = $1", [version]);
  await tx.query("DELETE FROM item_models WHERE scenario = $1 AND version <> $2", [scenario, version]);
  return version;
}

export async function activeItemModel(db: Queryable, scenario: string): Promise<ItemModelRow | null> {
  const [row] = await db.query<{ version: string; algorithm: ItemAlgorithm; trained_at: Date | string }>(
    "SELECT version, algorithm, trained_at FROM item_models WHERE scenario = $1 AND active",
    [scenario],
  );
  return row ? { version: row.version, algorithm: row.algorithm, trainedAt: new Date(row.trained_at) } : null;
}

/** The neighbour lists of some items under one model version. */
export async function loadNeighbours(
  db: Queryable,
  version: string,
  items?: readonly string[],
): Promise<ItemNeighbours> {
  const rows = await db.query<{ item_id: string; neighbours: string[]; scores: number[] }>(
    items
      ? "SELECT item_id, neighbours, scores FROM item_neighbours WHERE model_version = $1 AND item_id = ANY($2::text[])"
      : "SELECT item_id, neighbours, scores FROM item_neighbours WHERE model_version = $1",
    items ? [version, items] : [version],
  );
  return new Map(rows.map((r) => [r.item_id, { ids: r.neighbours, scores: Float64Array.from(r.scores.map(Number)) }]));
}

export interface PersonList {
  person: string;
  items: { id: string; score: number }[];
}

/** Writes (replaces) people's daily lists under a model version. */
export async function storeRecommendations(
  tx: Queryable,
  scenario: string,
  version: string,
  lists: readonly PersonList[],
  now: Date,
): Promise<void> {
  if (lists.length === 0) return;
  // Flat arrays with each element's list number: no JSON to build or parse for 100k elements, and
  // no array slicing (slicing a text[] walks it from the start, quadratic over a chunk).
  const ids: string[] = [];
  const scores: number[] = [];
  const owner: number[] = [];
  lists.forEach((l, n) => {
    for (const i of l.items) {
      ids.push(i.id);
      scores.push(i.score);
      owner.push(n + 1);
    }
  });
  await tx.query(
    `INSERT INTO item_recommendations (user_id, scenario, model_version, items, scores, generated_at)
     SELECT p.person, $1, $2, coalesce(l.items, '{}'), coalesce(l.scores, '{}'), $7
     FROM unnest($3::uuid[]) WITH ORDINALITY AS p(person, n)
     LEFT JOIN (
       SELECT u.owner, array_agg(u.id ORDER BY u.k) AS items, array_agg(u.score ORDER BY u.k) AS scores
       FROM unnest($4::text[], $5::real[], $6::int[]) WITH ORDINALITY AS u(id, score, owner, k)
       GROUP BY u.owner
     ) l ON l.owner = p.n
     ON CONFLICT (user_id, scenario) DO UPDATE SET model_version = EXCLUDED.model_version, items = EXCLUDED.items,
       scores = EXCLUDED.scores, generated_at = EXCLUDED.generated_at`,
    [scenario, version, lists.map((l) => l.person), ids, scores, owner, now],
  );
}

/** Lists written under an older model (people who left the training set, opted out or were deleted). */
export async function dropStaleRecommendations(tx: Queryable, scenario: string, version: string): Promise<number> {
  const rows = await tx.query(
    "DELETE FROM item_recommendations WHERE scenario = $1 AND model_version <> $2 RETURNING 1",
    [scenario, version],
  );
  return rows.length;
}
