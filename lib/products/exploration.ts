import type { Candidate } from "./fallbacks";

/**
 * Seed 001's exploration for products: with this probability a list gives one slot (never the
 * first) to a product ranked just beyond its cut, so products the model ranks a little lower get
 * shown and can earn clicks. MESH_PRODUCT_EXPLORATION_RATE overrides it (0 turns it off).
 */
export const PRODUCT_EXPLORATION_RATE = 0.1;
/** The explored product is drawn from this many candidates beyond the list's cut. */
export const EXPLORATION_DEPTH = 20;

export function productExplorationRate(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MESH_PRODUCT_EXPLORATION_RATE;
  if (raw === undefined || raw === "") return PRODUCT_EXPLORATION_RATE;
  const rate = Number(raw);
  if (!(rate >= 0 && rate <= 1)) {
    throw new RangeError(`MESH_PRODUCT_EXPLORATION_RATE must be a number from 0 to 1 (got "${raw}")`);
  }
  return rate;
}

/** Which slot (1-based, at least 2) takes which candidate beyond the cut (1 = the next one). */
export interface ExplorationPlan {
  position: number;
  depth: number;
}

/** Decides before the list is read, so the one-statement cached path can apply it in SQL. */
export function explorationPlan(
  limit: number,
  rate: number,
  random: () => number = Math.random,
): ExplorationPlan | null {
  if (limit < 2 || !(random() < rate)) return null;
  return {
    position: 2 + Math.floor(random() * (limit - 1)),
    depth: 1 + Math.floor(random() * EXPLORATION_DEPTH),
  };
}

/**
 * Cuts a ranked list (already capped, possibly longer than `limit`) to `limit`, the plan's slot
 * taking the candidate `depth` places beyond the cut (the last one when fewer are there). The
 * same rule as personal-start.ts's SQL.
 */
export function applyExploration(
  ranked: readonly Candidate[],
  limit: number,
  plan: ExplorationPlan | null,
): { items: Candidate[]; explored: string | null } {
  const items = ranked.slice(0, limit);
  if (!plan || ranked.length <= limit || plan.position > items.length) return { items, explored: null };
  const pick = ranked[limit - 1 + Math.min(plan.depth, ranked.length - limit)];
  items[plan.position - 1] = pick;
  return { items, explored: pick.id };
}
