import { createHash } from "node:crypto";
import type { Queryable } from "../db/types";
import { modelFromRow } from "../discovery/ranker/model";
import type { RankerModel } from "../discovery/types";
import type { Variant } from "./definition";
import { runningExperiment } from "./store";

/** A point in [0, 1) fixed by (experiment, person): the same person lands in the same variant. */
export function assignmentPoint(experimentId: string, userId: string): number {
  const digest = createHash("sha256").update(`${experimentId}:${userId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The variant whose cumulative share range holds the person's point. */
export function variantFor(experimentId: string, userId: string, variants: readonly Variant[]): Variant {
  const point = assignmentPoint(experimentId, userId);
  let upTo = 0;
  for (const v of variants) {
    upTo += v.share;
    if (point < upTo) return v;
  }
  return variants[variants.length - 1];
}

/** What serving a page under an experiment changes, and what its impressions are logged with. */
export interface Exposure {
  experiment: { id: string; variant: string; override?: true };
  settings: { mmrLambda?: number; explorationRate?: number };
  model?: RankerModel;
}

/**
 * The viewer's exposure to the running experiment, or null when none runs. Their variant is drawn
 * deterministically and persisted on this first exposure (a later change of shares never moves
 * someone already assigned). `override` ("<experiment>:<variant>", from X-Mesh-Experiment) is
 * honoured only for staff: it serves that variant without assigning, logged as an override so
 * metrics leave it out. Others' headers are ignored.
 */
export async function exposureFor(
  db: Queryable,
  viewerId: string,
  request: { override?: string | null; staff?: boolean } = {},
): Promise<Exposure | null> {
  const experiment = await runningExperiment(db);
  if (!experiment) return null;
  let variant: Variant | undefined;
  let override = false;
  if (request.staff && request.override) {
    const [id, name] = request.override.split(":");
    if (id === experiment.id) variant = experiment.variants.find((v) => v.name === name);
    override = Boolean(variant);
  }
  if (!variant) {
    const drawn = variantFor(experiment.id, viewerId, experiment.variants);
    const [row] = await db.query<{ variant: string }>(
      `WITH ins AS (
         INSERT INTO experiment_assignments (experiment_id, user_id, variant) VALUES ($1, $2, $3)
         ON CONFLICT (experiment_id, user_id) DO NOTHING RETURNING variant
       )
       SELECT variant FROM ins
       UNION ALL SELECT variant FROM experiment_assignments WHERE experiment_id = $1 AND user_id = $2
       LIMIT 1`,
      [experiment.id, viewerId, drawn.name],
    );
    variant = experiment.variants.find((v) => v.name === row.variant) ?? drawn;
  }
  const { modelVersion, ...settings } = variant.settings;
  let model: RankerModel | undefined;
  if (modelVersion) {
    const [m] = await db.query<{ version: string; bias: number; weights: unknown }>(
      `SELECT version, bias, weights FROM ranker_models WHERE version = $1`,
      [modelVersion],
    );
    if (m) model = modelFromRow(m);
  }
  return {
    experiment: { id: experiment.id, variant: variant.name, ...(override ? { override: true as const } : {}) },
    settings,
    model,
  };
}
