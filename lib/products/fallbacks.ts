import type { Queryable } from "../db/types";

export interface Candidate {
  id: string;
  score: number;
}

/**
 * Popular available products (the batch's popularity of the past month; products nobody touched
 * after them), optionally within top-level categories, leaving out `exclude`.
 */
export async function popularProducts(
  db: Queryable,
  limit: number,
  exclude: readonly string[],
  categories: readonly string[] | null = null,
): Promise<Candidate[]> {
  const rows = await db.query<{ id: string; score: number }>(
    `SELECT p.id, coalesce(pop.score, 0)::float8 AS score
     FROM products p LEFT JOIN item_popularity pop ON pop.scenario = 'products' AND pop.item_id = p.id
     WHERE p.available AND NOT (p.id = ANY($2::text[]))
       AND ($3::text[] IS NULL OR p.category[1] = ANY($3::text[]))
     ORDER BY score DESC, p.id
     LIMIT $1`,
    [limit, exclude, categories],
  );
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
}

/** The top-level categories of some products, most frequent first. */
export async function topCategoriesOf(db: Queryable, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ top: string }>(
    `SELECT category[1] AS top FROM products WHERE id = ANY($1::text[]) AND cardinality(category) > 0
     GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3`,
    [ids],
  );
  return rows.map((r) => r.top);
}

/**
 * Keeps candidates in order, at most `capShare` of `limit` per top-level category while others
 * remain (seed 001's category cap), then fills up with the capped ones. `extra` more are kept
 * beyond `limit` in the same order (exploration draws from them); the cap counts `limit` only.
 */
export function capPerCategory(
  candidates: readonly (Candidate & { top: string })[],
  limit: number,
  capShare: number,
  extra = 0,
): Candidate[] {
  const cap = Math.max(1, Math.ceil(limit * capShare));
  const perCategory = new Map<string, number>();
  const kept: Candidate[] = [];
  const overflow: Candidate[] = [];
  for (const c of candidates) {
    const n = perCategory.get(c.top) ?? 0;
    const plain = { id: c.id, score: c.score };
    if (n < cap) {
      perCategory.set(c.top, n + 1);
      kept.push(plain);
    } else overflow.push(plain);
    if (kept.length === limit + extra) break;
  }
  return [...kept, ...overflow].slice(0, limit + extra);
}

/** The available candidates, capped per category (capPerCategory). */
export async function availableCapped(
  db: Queryable,
  candidates: readonly Candidate[],
  limit: number,
  capShare: number,
  extra = 0,
): Promise<Candidate[]> {
  if (candidates.length === 0) return [];
  const rows = await db.query<{ id: string; top: string | null }>(
    "SELECT id, category[1] AS top FROM products WHERE available AND id = ANY($1::text[])",
    [candidates.map((c) => c.id)],
  );
  const top = new Map(rows.map((r) => [r.id, r.top ?? ""]));
  const available = candidates.flatMap((c) => {
    const category = top.get(c.id);
    return category === undefined ? [] : [{ ...c, top: category }];
  });
  return capPerCategory(available, limit, capShare, extra);
}
