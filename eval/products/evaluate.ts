import { mean, ndcgAt, precisionAt, recallAt } from "../metrics";
import { fitItemModel } from "../../lib/items/model";
import { scoreHistory } from "../../lib/items/neighbours";
import type { Interaction } from "../../lib/items/interactions";
import type { ItemAlgorithm } from "../../lib/items/config";
import type { HeldOutEvent, StratifiedSplit } from "./split";

export const K = 10;
/** The anonymous path sees this many of a person's first held-out events as its session. */
export const SESSION_SEEN = 5;

export interface SystemResult {
  system: string;
  precision: number;
  recall: number;
  ndcg: number;
  people: number;
  fitSeconds: number;
}

/** How a rating becomes an event weight: every rating is an interaction (all held-out are relevant). */
export type Weighting = "binary" | "rating";

function interactions(split: StratifiedSplit, weighting: Weighting): Interaction[] {
  const out: Interaction[] = [];
  for (const [user, events] of split.train) {
    for (const e of events)
      out.push({ person: String(user), item: e.item, weight: weighting === "binary" ? 1 : e.rating });
  }
  return out;
}

function score(
  system: string,
  fitSeconds: number,
  lists: Map<number, { list: string[]; relevant: Set<string> }>,
): SystemResult {
  const rows = [...lists.values()].filter((r) => r.relevant.size > 0);
  return {
    system,
    fitSeconds,
    people: rows.length,
    precision: mean(rows.map((r) => precisionAt(K, r.list, r.relevant))),
    recall: mean(rows.map((r) => recallAt(K, r.list, r.relevant))),
    ndcg: mean(rows.map((r) => ndcgAt(K, r.list, r.relevant))),
  };
}

const relevantOf = (events: HeldOutEvent[]) => new Set(events.map((e) => e.item));

/** Most-interacted items in training, minus what the person has seen. */
function popular(split: StratifiedSplit): SystemResult {
  const counts = new Map<string, number>();
  for (const events of split.train.values()) for (const e of events) counts.set(e.item, (counts.get(e.item) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
  const lists = new Map<number, { list: string[]; relevant: Set<string> }>();
  for (const [user, events] of split.train) {
    const seen = new Set(events.map((e) => e.item));
    const list = ranked.filter((id) => !seen.has(id)).slice(0, K);
    lists.set(user, { list, relevant: relevantOf(split.test.get(user)!) });
  }
  return score("popular", 0, lists);
}

export interface ModelResults {
  personal: SystemResult;
  /** The anonymous path: the first SESSION_SEEN held-out events as the session, the rest to find. */
  anonymous: SystemResult;
}

/** One item model through the engine's own fit and scoring (lib/items): what the batch and serving run. */
function model(split: StratifiedSplit, algorithm: ItemAlgorithm, weighting: Weighting, lambda?: number): ModelResults {
  const started = performance.now();
  const fitted = fitItemModel(interactions(split, weighting), { algorithm, lambda });
  const fitSeconds = (performance.now() - started) / 1000;
  const personal = new Map<number, { list: string[]; relevant: Set<string> }>();
  const anonymous = new Map<number, { list: string[]; relevant: Set<string> }>();
  for (const [user, events] of split.train) {
    const history = events.map((e) => ({ item: e.item, weight: weighting === "binary" ? 1 : e.rating }));
    const seen = new Set(events.map((e) => e.item));
    const list = scoreHistory(fitted.neighbours, history, K, seen).map((r) => r.id);
    const held = split.test.get(user)!;
    personal.set(user, { list, relevant: relevantOf(held) });
    const session = held.slice(0, SESSION_SEEN);
    const sessionItems = new Set(session.map((e) => e.item));
    const anon = scoreHistory(
      fitted.neighbours,
      session.map((e) => ({ item: e.item, weight: 1 })),
      K,
      sessionItems,
    ).map((r) => r.id);
    anonymous.set(user, { list: anon, relevant: relevantOf(held.slice(SESSION_SEEN)) });
  }
  const name = algorithm === "ease" ? "EASE" : "item-kNN (cosine)";
  return {
    personal: score(name, fitSeconds, personal),
    anonymous: score(`${name}, anonymous session`, fitSeconds, anonymous),
  };
}

export interface ProductsEval {
  popular: SystemResult;
  itemKnn: ModelResults;
  ease: ModelResults;
  weighting: Weighting;
}

export function evaluateProducts(
  split: StratifiedSplit,
  weighting: Weighting = "binary",
  lambda?: number,
): ProductsEval {
  return {
    popular: popular(split),
    itemKnn: model(split, "item-knn", weighting),
    ease: model(split, "ease", weighting, lambda),
    weighting,
  };
}
