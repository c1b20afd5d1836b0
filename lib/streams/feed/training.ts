import type { Queryable } from "../../db/types";
import { fitPairwise, pairAccuracy, type PreferencePair } from "../../items/pairwise";
import { FEED_FEATURES } from "./features";
import { activeFeedRanker } from "./feed";
import { DEFAULT_FEED_RANKER, rankerWeightsJson } from "./ranker";
import { loadServedImpressions, watchTimePairs } from "./training-data";

/** Fewer training pairs than this: no model (the default or the active one keeps serving). */
export const MIN_PAIRS = 20;
/** Every HOLD_OUT_EVERY-th request is held out to compare the new weights with the serving ones. */
const HOLD_OUT_EVERY = 5;

export type FeedTrainingOutcome =
  | { trained: false; pairs: number; reason: string }
  | {
      trained: true;
      version: string;
      pairs: number;
      heldOutAccuracy: number;
      servingAccuracy: number;
      activated: boolean;
    };

/** Splits per-request pairs into training and held-out by request (whole requests on each side). */
export function splitByRequest(byRequest: Map<string, PreferencePair[]>): {
  train: PreferencePair[];
  heldOut: PreferencePair[];
} {
  const train: PreferencePair[] = [];
  const heldOut: PreferencePair[] = [];
  [...byRequest.keys()]
    .sort()
    .forEach((id, i) => (i % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1 ? heldOut : train).push(...byRequest.get(id)!));
  return { train, heldOut };
}

/** Fits the pairwise ranker from the default weights (so sparse features stay near them). */
export function fitFeedRanker(pairs: readonly PreferencePair[]): number[] {
  return fitPairwise(pairs, FEED_FEATURES.length, { start: DEFAULT_FEED_RANKER.weights, l2: 0.01 });
}

/**
 * Trains a new version from watch-time pairs; stores it, and activates it when its order of the
 * held-out pairs is at least as right as the serving model's (the default when none is active).
 */
export async function trainFeedRanker(tx: Queryable, now: Date): Promise<FeedTrainingOutcome> {
  const byRequest = watchTimePairs(await loadServedImpressions(tx, now));
  const { train, heldOut } = splitByRequest(byRequest);
  const pairs = train.length + heldOut.length;
  if (train.length < MIN_PAIRS) return { trained: false, pairs, reason: `fewer than ${MIN_PAIRS} training pairs` };
  const weights = fitFeedRanker(train);
  const serving = await activeFeedRanker(tx);
  const heldOutAccuracy = heldOut.length > 0 ? pairAccuracy(heldOut, weights) : pairAccuracy(train, weights);
  const servingAccuracy =
    heldOut.length > 0 ? pairAccuracy(heldOut, serving.weights) : pairAccuracy(train, serving.weights);
  const activated = heldOutAccuracy >= servingAccuracy;
  const version = `feed-pairwise-${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}`;
  await tx.query("DELETE FROM stream_ranker_models WHERE version = $1", [version]);
  if (activated) await tx.query("UPDATE stream_ranker_models SET active = false WHERE active");
  await tx.query(
    "INSERT INTO stream_ranker_models (version, weights, pairs, metrics, active, trained_at) VALUES ($1, $2::text::jsonb, $3, $4::text::jsonb, $5, $6)",
    [
      version,
      JSON.stringify(rankerWeightsJson(weights)),
      pairs,
      JSON.stringify({
        heldOutAccuracy,
        servingAccuracy,
        servingVersion: serving.version,
        heldOutPairs: heldOut.length,
      }),
      activated,
      now,
    ],
  );
  return { trained: true, version, pairs, heldOutAccuracy, servingAccuracy, activated };
}
