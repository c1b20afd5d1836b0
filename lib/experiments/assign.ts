import { createHash } from "node:crypto";
import type { Queryable } from "../db/types";
import { modelFromRow } from "../discovery/ranker/model";
import type { RankerModel } from "../discovery/types";
import type { Variant } from "./definition";
import { servingExperiment } from "./store";

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
  const experiment = await servingExperiment(db);
  if (!experiment) return null;
  let variant: Variant | undefined;
  let override = false;
  if (request.staff && request.override) {
    const [id, name] = request.override.split(":");
    if (id === experiment.id) variant = experiment.variants.find((v) => v.name === name);
    override = Boolean(variant);
  }
  if (!variant) variant = await assignedVariant(db, experiment, viewerId);
  const { modelVersion, ...settings } = variant.settings;
  const model = modelVersion ? await rankerVersion(db, modelVersion) : undefined;
  return {
    experiment: { id: experiment.id, variant: variant.name, ...(override ? { override: true as const } : {}) },
    settings,
    model,
  };
}

/**
 * Assignments never change once made, and ranker versions are immutable: this process keeps what
 * it read (bounded), so a page served from memory needs no database round trip for either.
 */
const MAX_REMEMBERED = 50_000;
const assignments = new Map<string, string>();
const versions = new Map<string, RankerModel>();

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_REMEMBERED) map.clear();
  map.set(key, value);
  return value;
}

/** The viewer's variant, drawn and persisted on first exposure (a later share change moves nobody). */
async function assignedVariant(
  db: Queryable,
  experiment: { id: string; variants: readonly Variant[] },
  viewerId: string,
): Promise<Variant> {
  const key = `${experiment.id}:${viewerId}`;
  let name = assignments.get(key);
  const drawn = variantFor(experiment.id, viewerId, experiment.variants);
  if (name === undefined) {
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
    name = remember(assignments, key, row.variant);
  }
  return experiment.variants.find((v) => v.name === name) ?? drawn;
}

async function rankerVersion(db: Queryable, version: string): Promise<RankerModel | undefined> {
  const known = versions.get(version);
  if (known) return known;
  const [m] = await db.query<{ version: string; bias: number; weights: unknown }>(
    `SELECT version, bias, weights FROM ranker_models WHERE version = $1`,
    [version],
  );
  // An unknown version is not remembered: it may be trained in a moment.
  return m ? remember(versions, version, modelFromRow(m)) : undefined;
}
