import type { Db, Queryable } from "../db/types";
import { HttpError } from "../http/errors";
import { invalidateAllSlates } from "../discovery/slate-cache";
import { experimentIdSchema, variantsSchema, type Experiment, type Variant } from "./definition";

interface Row {
  id: string;
  description: string;
  status: Experiment["status"];
  variants: Variant[];
  winner: string | null;
  started_at: Date | string | null;
  stopped_at: Date | string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function fromRow(r: Row): Experiment {
  return {
    id: r.id,
    description: r.description,
    status: r.status,
    variants: r.variants,
    winner: r.winner,
    startedAt: iso(r.started_at),
    stoppedAt: iso(r.stopped_at),
  };
}

export async function getExperiment(db: Queryable, id: string): Promise<Experiment> {
  const [row] = await db.query<Row>(`SELECT * FROM experiments WHERE id = $1`, [id]);
  if (!row) throw new HttpError(404, "not_found", `no experiment ${id}`, "id");
  return fromRow(row);
}

/** The experiment running now, if any (one at a time). */
export async function runningExperiment(db: Queryable): Promise<Experiment | null> {
  const [row] = await db.query<Row>(`SELECT * FROM experiments WHERE status = 'running'`);
  return row ? fromRow(row) : null;
}

/**
 * How long serving trusts its last look at which experiment runs (ms). Starting or stopping one
 * through this process takes effect at once; through another instance, within this.
 */
const RUNNING_RECHECK_MS = 2_000;
let runningSeen = new WeakMap<Queryable, { at: number; experiment: Promise<Experiment | null> }>();

/** runningExperiment for the serving path: asked of the database at most every RUNNING_RECHECK_MS. */
export function servingExperiment(db: Queryable, now = Date.now()): Promise<Experiment | null> {
  const seen = runningSeen.get(db);
  if (seen && now - seen.at < RUNNING_RECHECK_MS) return seen.experiment;
  const experiment = runningExperiment(db);
  runningSeen.set(db, { at: now, experiment });
  experiment.catch(() => runningSeen.delete(db));
  return experiment;
}

/** A change of the running experiment through this process: forgotten once it committed (or failed). */
async function changingExperiment<T>(change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    runningSeen = new WeakMap();
  }
}

/** A draft experiment; variants are checked (names, shares adding up to 1, settings in bounds). */
export async function createExperiment(
  db: Queryable,
  input: { id: string; description?: string; variants: unknown },
): Promise<Experiment> {
  const id = experimentIdSchema.parse(input.id);
  const variants = variantsSchema.parse(input.variants);
  for (const v of variants) {
    if (!v.settings.modelVersion) continue;
    const [m] = await db.query(`SELECT 1 FROM ranker_models WHERE version = $1`, [v.settings.modelVersion]);
    if (!m) throw new HttpError(400, "invalid_input", `no ranker version ${v.settings.modelVersion}`, "variants");
  }
  await db.query(`INSERT INTO experiments (id, description, variants) VALUES ($1, $2, $3::text::jsonb)`, [
    id,
    input.description ?? "",
    JSON.stringify(variants),
  ]);
  return getExperiment(db, id);
}

/**
 * Starts a draft: it must be the only running experiment. Cached slates are dropped so everyone's
 * next page is built under their variant.
 */
export async function startExperiment(db: Db, id: string): Promise<Experiment> {
  return changingExperiment(
    db.transaction(async (tx) => {
      const current = await getExperiment(tx, id);
      if (current.status !== "draft") throw new Error(`experiment ${id} is ${current.status}, not a draft`);
      const other = await runningExperiment(tx);
      if (other) throw new Error(`experiment ${other.id} is running: stop it first`);
      await tx.query(`UPDATE experiments SET status = 'running', started_at = now() WHERE id = $1`, [id]);
      await invalidateAllSlates(tx);
      return getExperiment(tx, id);
    }),
  );
}

/** Stops a running experiment: nobody is assigned or exposed any more; its metrics stay readable. */
export async function stopExperiment(db: Db, id: string): Promise<Experiment> {
  return changingExperiment(
    db.transaction(async (tx) => {
      const current = await getExperiment(tx, id);
      if (current.status !== "running") throw new Error(`experiment ${id} is ${current.status}, not running`);
      await tx.query(`UPDATE experiments SET status = 'stopped', stopped_at = now() WHERE id = $1`, [id]);
      await invalidateAllSlates(tx);
      return getExperiment(tx, id);
    }),
  );
}

/**
 * Declares a variant the winner (stopping the experiment if it runs). A winner naming a ranker
 * version activates that version for everyone; its settings are reported for the operator to
 * make the defaults (lib/discovery/settings.ts), since settings live in code.
 */
export async function promoteExperiment(
  db: Db,
  id: string,
  variantName: string,
): Promise<{ experiment: Experiment; activated: string | null }> {
  return changingExperiment(
    db.transaction(async (tx) => {
      const current = await getExperiment(tx, id);
      const variant = current.variants.find((v) => v.name === variantName);
      if (!variant) throw new Error(`experiment ${id} has no variant ${variantName}`);
      if (current.status === "promoted") throw new Error(`experiment ${id} was already promoted`);
      await tx.query(
        `UPDATE experiments SET status = 'promoted', winner = $2, stopped_at = coalesce(stopped_at, now()) WHERE id = $1`,
        [id, variantName],
      );
      const version = variant.settings.modelVersion ?? null;
      if (version) {
        await tx.query(`UPDATE ranker_models SET active = false WHERE active AND version <> $1`, [version]);
        await tx.query(
          `UPDATE ranker_models SET active = true, activated_at = now() WHERE version = $1 AND NOT active`,
          [version],
        );
      }
      await invalidateAllSlates(tx);
      return { experiment: await getExperiment(tx, id), activated: version };
    }),
  );
}
