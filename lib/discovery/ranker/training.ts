import type { Queryable } from "../../db/types";
import { modelFromRow, PRIOR_MODEL, scoreCandidate } from "./model";
import { loadTrainingExamples } from "./training-data";
import { auc, fitLogistic, servingModel, type TrainingExample } from "./training-math";
import type { FeaturedCandidate, RankerModel } from "../types";

export interface TrainingOptions {
  /** Below this many labelled pairs no model is trained. */
  minExamples?: number;
  /** The newest share of examples (by feedback time) held out for the gate. */
  heldOutShare?: number;
  /** Examples to train on; by default loaded from `feedback`. */
  examples?: TrainingExample[];
  l2?: number;
}

export type TrainingOutcome =
  | { status: "insufficient"; reason: string; examples: number }
  | { status: "unchanged"; reason: string; examples: number }
  | {
      status: "activated" | "kept";
      version: string;
      auc: number;
      activeVersion: string;
      activeAuc: number;
      trainRows: number;
      heldOutRows: number;
    };

async function activeModel(db: Queryable): Promise<RankerModel> {
  const [row] = await db.query<{ version: string; bias: number; weights: unknown }>(
    `SELECT version, bias, weights FROM ranker_models WHERE active`,
  );
  return row ? modelFromRow(row) : PRIOR_MODEL;
}

function heldOutAuc(model: RankerModel, examples: readonly TrainingExample[]): number {
  return auc(
    examples.map((e) => ({
      score: scoreCandidate(model, { features: e.features } as FeaturedCandidate).modelScore,
      label: e.label,
    })),
  );
}

/** The training data the newest stored version was fitted on (count @ newest outcome time). */
async function lastDataKey(db: Queryable): Promise<string | null> {
  const [row] = await db.query<{ key: string | null }>(
    `SELECT metrics ->> 'dataKey' AS key FROM ranker_models ORDER BY created_at DESC LIMIT 1`,
  );
  return row?.key ?? null;
}

const hasBothLabels = (xs: readonly TrainingExample[]) =>
  xs.some((e) => e.label === 1) && xs.some((e) => e.label === 0);

/**
 * Trains a logistic-regression ranker on labelled feedback and stores it as a new ranker_models
 * version. The newest `heldOutShare` of the examples (by time: the model must predict feedback it
 * has not seen) is held out; the new version is activated only when its held-out AUC is not worse
 * than the active model's on the same examples, otherwise it is kept inactive for inspection.
 * Its metrics (both AUCs, row counts, how many rows had logged features, the fitted intercept)
 * are stored with it: the model registry is this table. The serving score
 * is the fit's logit shifted to be non-negative (servingModel), so contributions are exactly
 * weight x feature and orderings equal the fit's.
 */
export async function trainRanker(db: Queryable, options: TrainingOptions = {}): Promise<TrainingOutcome> {
  const minExamples = options.minExamples ?? 50;
  const examples = options.examples ?? (await loadTrainingExamples(db));
  if (examples.length < minExamples) {
    return { status: "insufficient", reason: `fewer than ${minExamples} labelled pairs`, examples: examples.length };
  }
  const sorted = [...examples].sort((a, b) => a.at - b.at);
  const dataKey = `${sorted.length}@${sorted[sorted.length - 1].at}`;
  if (!options.examples && (await lastDataKey(db)) === dataKey) {
    // Every 30 minutes, but a version is only fitted when outcomes arrived since the last one.
    return { status: "unchanged", reason: "no new outcomes since the last version", examples: examples.length };
  }
  const cut = Math.floor(sorted.length * (1 - (options.heldOutShare ?? 0.2)));
  const train = sorted.slice(0, cut);
  const heldOut = sorted.slice(cut);
  if (!hasBothLabels(train) || !hasBothLabels(heldOut)) {
    return {
      status: "insufficient",
      reason: "training and held-out feedback both need positive and negative examples",
      examples: examples.length,
    };
  }
  const fit = fitLogistic(train, { l2: options.l2 });
  const version = `lr-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 4)}`;
  const model = servingModel(version, fit);
  const active = await activeModel(db);
  const newAuc = heldOutAuc(model, heldOut);
  const activeAuc = heldOutAuc(active, heldOut);
  const activate = newAuc >= activeAuc;
  const metrics = {
    kind: "logistic regression",
    heldOutAuc: newAuc,
    activeVersion: active.version,
    activeHeldOutAuc: activeAuc,
    trainRows: train.length,
    heldOutRows: heldOut.length,
    loggedFeatureRows: examples.filter((e) => e.logged).length,
    dataKey,
    intercept: fit.intercept,
    note: "bias = intercept-free shift making scores non-negative; logit = score - bias + intercept",
  };
  await db.query(
    `INSERT INTO ranker_models (version, kind, bias, weights, metrics, active) VALUES ($1, 'linear', $2, $3::text::jsonb, $4::text::jsonb, false)`,
    [version, model.bias, JSON.stringify(model.weights), JSON.stringify(metrics)],
  );
  if (activate) {
    // Two statements: the partial unique index allows one active row at any moment.
    await db.query(`UPDATE ranker_models SET active = false WHERE active`);
    await db.query(`UPDATE ranker_models SET active = true, activated_at = now() WHERE version = $1`, [version]);
  }
  return {
    status: activate ? "activated" : "kept",
    version,
    auc: newAuc,
    activeVersion: active.version,
    activeAuc,
    trainRows: train.length,
    heldOutRows: heldOut.length,
  };
}
