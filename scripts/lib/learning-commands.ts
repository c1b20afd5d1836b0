// The learning loop's one-shot commands for `npm run job -- <command> [args]`: ranker rollback and
// the experiment lifecycle (lib/discovery/ranker, lib/experiments).
import type { Db } from "../../lib/db/types";
import { rollbackRanker } from "../../lib/discovery/ranker/rollback";
import { experimentMetrics } from "../../lib/experiments/metrics";
import { createExperiment, promoteExperiment, startExperiment, stopExperiment } from "../../lib/experiments/store";

export const LEARNING_COMMANDS = [
  "ranker-rollback",
  "experiment-create",
  "experiment-start",
  "experiment-stop",
  "experiment-promote",
  "experiment-report",
] as const;
export type LearningCommand = (typeof LEARNING_COMMANDS)[number];

export function isLearningCommand(name: string): name is LearningCommand {
  return (LEARNING_COMMANDS as readonly string[]).includes(name);
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function need(args: string[], n: number, usage: string): string[] {
  if (args.length < n) throw new Error(`usage: npm run job -- ${usage}`);
  return args;
}

export async function runLearningCommand(db: Db, name: LearningCommand, args: string[]): Promise<void> {
  switch (name) {
    case "ranker-rollback": {
      const { from, to } = await rollbackRanker(db);
      console.log(`ranker-rollback: ${from} retired, ${to} active again (cached slates dropped)`);
      return;
    }
    case "experiment-create": {
      // e.g. experiment-create mmr-06 '[{"name":"control","share":0.5},{"name":"lambda-06","share":0.5,"settings":{"mmrLambda":0.6}}]'
      const [id, variants, description] = need(args, 2, "experiment-create <id> '<variants json>' [description]");
      const e = await createExperiment(db, { id, variants: JSON.parse(variants), description });
      console.log(
        `experiment-create: ${e.id} (draft) with ${e.variants.map((v) => `${v.name} ${v.share}`).join(", ")}`,
      );
      return;
    }
    case "experiment-start": {
      const [id] = need(args, 1, "experiment-start <id>");
      console.log(`experiment-start: ${(await startExperiment(db, id)).id} running`);
      return;
    }
    case "experiment-stop": {
      const [id] = need(args, 1, "experiment-stop <id>");
      console.log(`experiment-stop: ${(await stopExperiment(db, id)).id} stopped`);
      return;
    }
    case "experiment-promote": {
      const [id, variant] = need(args, 2, "experiment-promote <id> <variant>");
      const { experiment, activated } = await promoteExperiment(db, id, variant);
      const settings = experiment.variants.find((v) => v.name === variant)?.settings ?? {};
      console.log(
        `experiment-promote: ${id} won by ${variant}` +
          (activated ? `; ranker ${activated} active` : "") +
          (Object.keys(settings).length ? `; its settings: ${JSON.stringify(settings)}` : ""),
      );
      return;
    }
    case "experiment-report": {
      const [id] = need(args, 1, "experiment-report <id>");
      const m = await experimentMetrics(db, id);
      console.log(`experiment ${m.experiment.id} (${m.experiment.status}), control ${m.control}, unit: ${m.unit}`);
      console.table(
        m.variants.map((v) => ({
          variant: v.variant,
          share: v.share,
          people: v.people,
          exposures: v.exposures,
          ctr: pct(v.ctr),
          connect: pct(v.connectRate),
          accept: pct(v.acceptanceRate),
          dwellMs: v.meanDwellMs === null ? "-" : Math.round(v.meanDwellMs),
          "accept diff (95% CI)": v.vsControl?.acceptanceRate.ci95
            ? `${pct(v.vsControl.acceptanceRate.difference)} (${pct(v.vsControl.acceptanceRate.ci95[0])}..${pct(v.vsControl.acceptanceRate.ci95[1])})`
            : "-",
          "accept p": v.vsControl ? v.vsControl.acceptanceRate.pValue.toFixed(4) : "-",
          "connect p": v.vsControl ? v.vsControl.connectRate.pValue.toFixed(4) : "-",
        })),
      );
      const srm = m.sampleRatio;
      console.log(
        `sample ratio: chi-square ${srm.chiSquare.toFixed(2)} (df ${srm.df}), p = ${srm.pValue.toFixed(4)}` +
          (srm.mismatch ? " -- MISMATCH: assignment or logging is broken; do not read the results" : " (ok)"),
      );
      return;
    }
  }
}
