import type { Queryable } from "../db/types";
import { CATEGORY_CAP, SESSION_EVENTS } from "../items/config";
import { scoreHistory } from "../items/neighbours";
import { activeItemModel, cachedRecommendations, loadNeighbours, type ItemModelRow } from "../items/store";
import { log } from "../log";
import { SCENARIO } from "./batch-phases";
import type { RecommendationSource } from "./sources";
import { openCart, recentProductEvents } from "./events";
import { availableCapped, popularProducts, topCategoriesOf, type Candidate } from "./fallbacks";

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
  products: { id: string; score: number; reason: string }[];
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

const KNOWN_CONTEXTS = new Set(["product-page", "homepage", "cart"]);

interface Path {
  source: RecommendationSource;
  candidates: Candidate[];
  generatedAt?: Date;
}

async function recommendationsOff(db: Queryable, userId: string): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM privacy_settings WHERE user_id = $1 AND category = 'recommendations' AND NOT enabled",
    [userId],
  );
  return rows.length > 0;
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
  want: number,
  exclude: Set<string>,
): Promise<{ path: Path; history: string[] }> {
  const tryPath = async (source: RecommendationSource, candidates: Candidate[], generatedAt?: Date) => {
    const kept = await availableCapped(db, candidates, req.limit, CATEGORY_CAP);
    return kept.length > 0 ? { source, candidates: kept, generatedAt } : null;
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
  if (req.userId && model) {
    const cached = await cachedRecommendations(db, req.userId, SCENARIO);
    if (cached && cached.version === model.version) {
      const path = await tryPath(
        "personal",
        cached.items.filter((c) => !exclude.has(c.id)),
        cached.generatedAt,
      );
      if (path) return { path, history: [] };
    }
  }
  const who = req.userId ? { userId: req.userId } : req.anonId ? { anonId: req.anonId } : null;
  const session = who ? await recentProductEvents(db, who, SESSION_EVENTS) : [];
  const seen = new Set([...exclude, ...session.map((s) => s.item)]);
  const path = await tryPath("session", await fromItems(db, model, session, want, seen));
  if (path) return { path, history: [] };
  return { path: { source: "category", candidates: [] }, history: session.map((s) => s.item) };
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
  let model: ItemModelRow | null = null;
  let path: Path;
  if (req.userId && (await recommendationsOff(db, req.userId))) {
    // Opted out: popular only, nothing about the person read.
    path = { source: "popular", candidates: [] };
    if (req.productId) exclude.add(req.productId);
    for (const id of req.cartProductIds ?? []) exclude.add(id);
  } else {
    model = await activeItemModel(db, SCENARIO);
    const chosen = await choosePath(db, req, model, want, exclude);
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
    path.candidates = await availableCapped(db, await popularProducts(db, want, [...exclude]), req.limit, CATEGORY_CAP);
  }
  if (path.candidates.length === 0) throw new NoRecommendationsError();
  const answer: RecommendationAnswer = {
    products: path.candidates.map((c) => ({
      id: c.id,
      score: Math.round(c.score * 1e4) / 1e4,
      reason: REASONS[path.source],
    })),
    modelVersion: model?.version ?? null,
    generatedAt: (path.generatedAt ?? now).toISOString(),
    source: path.source,
  };
  // No personal data: which path, whether the daily cache answered, how long, which model, where.
  log.info(
    `recommendations source=${path.source} cache=${path.source === "personal" ? "hit" : "miss"} ` +
      `ms=${(performance.now() - started).toFixed(1)} model=${answer.modelVersion ?? "none"} context=${KNOWN_CONTEXTS.has(req.context) ? req.context : "other"}`,
  );
  return answer;
}
