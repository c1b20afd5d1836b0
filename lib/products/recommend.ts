import type { Queryable } from "../db/types";
import { CATEGORY_CAP, SESSION_EVENTS } from "../items/config";
import { scoreHistory } from "../items/neighbours";
import { activeItemModel, loadNeighbours, type ItemModelRow } from "../items/store";
import { log } from "../log";
import { SCENARIO } from "./batch-phases";
import type { RecommendationSource } from "./sources";
import { openCart, recentProductEvents } from "./events";
import { availableCapped, popularProducts, topCategoriesOf, type Candidate } from "./fallbacks";
import { personalStart, type PersonalStart } from "./personal-start";
import {
  applyExploration,
  EXPLORATION_DEPTH,
  explorationPlan,
  productExplorationRate,
  type ExplorationPlan,
} from "./exploration";
import { logProductImpressions } from "./impressions";

export interface RecommendationRequest {
  /** A signed-in person (already checked against the token), or null for a visitor. */
  userId: string | null;
  anonId: string | null;
  limit: number;
  /** product-page | homepage | cart | anything else (served like the home page). */
  context: string;
  productId?: string;
  cartProductIds?: string[];
}

export interface RecommendationAnswer {
  /** Logged with the list's impressions; clients send it back with events (context.requestId). */
  requestId: string;
  products: { id: string; score: number; reason: string; explored?: true }[];
  modelVersion: string | null;
  generatedAt: string;
  source: RecommendationSource;
}

/** No path could answer: the catalogue has no available product to show. */
export class NoRecommendationsError extends Error {
  constructor() {
    super("No products can be recommended right now");
  }
}

const REASONS: Record<RecommendationSource, string> = {
  personal: "Picked for you from what you viewed and bought",
  session: "Because of what you just looked at",
  "item-to-item": "People who liked this also liked",
  category: "Popular in categories you looked at",
  popular: "Popular right now",
};
const EXPLORED_REASON = "Something a little different to try";

const KNOWN_CONTEXTS = new Set(["product-page", "homepage", "cart"]);

interface Path {
  source: RecommendationSource;
  candidates: Candidate[];
  generatedAt?: Date;
  /** The product placed by exploration, if any. */
  explored?: string | null;
  /** Already logged as impressions (the personal path logs in its one statement). */
  logged?: boolean;
}

async function fromItems(
  db: Queryable,
  model: ItemModelRow | null,
  items: { item: string; weight: number }[],
  want: number,
  exclude: Set<string>,
): Promise<Candidate[]> {
  if (!model || items.length === 0) return [];
  const neighbours = await loadNeighbours(db, model.version, [...new Set(items.map((i) => i.item))]);
  return scoreHistory(neighbours, items, want, exclude);
}

/**
 * The paths in the order a request tries them, each named in `source`. A path that yields no
 * available product hands over to the next; popular answers whenever the catalogue has anything.
 */
async function choosePath(
  db: Queryable,
  req: RecommendationRequest,
  model: ItemModelRow | null,
  served: PersonalStart["served"],
  want: number,
  exclude: Set<string>,
  plan: ExplorationPlan | null,
): Promise<{ path: Path; history: string[] }> {
  const tryPath = async (source: RecommendationSource, candidates: Candidate[]): Promise<Path | null> => {
    const { items, explored } = await cutExplored(db, candidates, req.limit, plan);
    return items.length > 0 ? { source, candidates: items, explored } : null;
  };
  // Product page and cart lean on item-to-item, leaving out what is on the page or in the cart.
  let anchors: string[] = [];
  if (req.context === "product-page" && req.productId) anchors = [req.productId];
  if (req.context === "cart") {
    anchors = req.cartProductIds ?? (req.userId ? await openCart(db, req.userId) : []);
  }
  if (anchors.length) {
    for (const a of anchors) exclude.add(a);
    const items = anchors.map((item) => ({ item, weight: 1 }));
    const path = await tryPath("item-to-item", await fromItems(db, model, items, want, exclude));
    if (path) return { path, history: anchors };
    return { path: { source: "category", candidates: [] }, history: anchors };
  }
  if (served) {
    // Served, explored and logged in personalStart's one statement.
    return {
      path: {
        source: "personal",
        candidates: served.items,
        generatedAt: served.generatedAt,
        explored: served.explored,
        logged: true,
      },
      history: [],
    };
  }
  const who = req.userId ? { userId: req.userId } : req.anonId ? { anonId: req.anonId } : null;
  const session = who ? await recentProductEvents(db, who, SESSION_EVENTS) : [];
  const seen = new Set([...exclude, ...session.map((s) => s.item)]);
  const path = await tryPath("session", await fromItems(db, model, session, want, seen));
  if (path) return { path, history: [] };
  return { path: { source: "category", candidates: [] }, history: session.map((s) => s.item) };
}

/**
 * A path's candidates as served: available ones, capped per category, cut to `limit` with the
 * plan's exploration slot (drawn from the EXPLORATION_DEPTH kept beyond the cut).
 */
async function cutExplored(
  db: Queryable,
  candidates: readonly Candidate[],
  limit: number,
  plan: ExplorationPlan | null,
): Promise<{ items: Candidate[]; explored: string | null }> {
  const kept = await availableCapped(db, candidates, limit, CATEGORY_CAP, plan ? EXPLORATION_DEPTH : 0);
  return applyExploration(kept, limit, plan);
}

/** The category cap as a count for a list of `limit` (at least one per category). */
function categoryCap(limit: number): number {
  return Math.max(1, Math.ceil(limit * CATEGORY_CAP));
}

/** Answers GET /api/recommendations: see RecommendationRequest and the contract in api/recommendations.ts. */
export async function recommendProducts(
  db: Queryable,
  req: RecommendationRequest,
  now: Date,
): Promise<RecommendationAnswer> {
  const started = performance.now();
  const want = Math.max(req.limit * 3, 30);
  const exclude = new Set<string>();
  const requestId = crypto.randomUUID();
  const context = KNOWN_CONTEXTS.has(req.context) ? req.context : "other";
  const plan = explorationPlan(req.limit, productExplorationRate());
  let model: ItemModelRow | null = null;
  let path: Path;
  const onPage = (req.context === "product-page" && !!req.productId) || req.context === "cart";
  const start = req.userId
    ? await personalStart(
        db,
        req.userId,
        SCENARIO,
        onPage ? 0 : req.limit,
        categoryCap(req.limit),
        { requestId, context },
        plan,
      )
    : { optedOut: false, model: await activeItemModel(db, SCENARIO), served: null };
  if (start.optedOut) {
    // Opted out: popular only, nothing about the person read.
    path = { source: "popular", candidates: [] };
    if (req.productId) exclude.add(req.productId);
    for (const id of req.cartProductIds ?? []) exclude.add(id);
  } else {
    model = start.model;
    const chosen = await choosePath(db, req, model, start.served, want, exclude, plan);
    path = chosen.path;
    if (path.candidates.length === 0 && chosen.history.length > 0) {
      const categories = await topCategoriesOf(db, chosen.history);
      const inCategory = categories.length
        ? await popularProducts(db, want, [...exclude, ...chosen.history], categories)
        : [];
      const kept = await availableCapped(db, inCategory, req.limit, 1);
      path = kept.length ? { source: "category", candidates: kept } : { source: "popular", candidates: [] };
    } else if (path.candidates.length === 0) path = { source: "popular", candidates: [] };
  }
  if (path.source === "popular") {
    const popular = await popularProducts(db, want, [...exclude]);
    const { items, explored } = await cutExplored(db, popular, req.limit, plan);
    path = { ...path, candidates: items, explored };
  }
  if (path.candidates.length === 0) throw new NoRecommendationsError();
  const answer: RecommendationAnswer = {
    requestId,
    products: path.candidates.map((c) => ({
      id: c.id,
      score: Math.round(c.score * 1e4) / 1e4,
      reason: c.id === path.explored ? EXPLORED_REASON : REASONS[path.source],
      ...(c.id === path.explored ? { explored: true as const } : {}),
    })),
    modelVersion: model?.version ?? null,
    generatedAt: (path.generatedAt ?? now).toISOString(),
    source: path.source,
  };
  if (!path.logged) {
    await logProductImpressions(
      db,
      { userId: req.userId, anonId: req.anonId },
      answer.products.map((p) => p.id),
      { requestId, context, modelVersion: answer.modelVersion, source: path.source, explored: path.explored ?? null },
    );
  }
  // No personal data: which path, whether the daily cache answered, how long, which model, where.
  log.info(
    `recommendations source=${path.source} cache=${path.source === "personal" ? "hit" : "miss"} ` +
      `ms=${(performance.now() - started).toFixed(1)} model=${answer.modelVersion ?? "none"} context=${context} explored=${path.explored ? 1 : 0}`,
  );
  return answer;
}
