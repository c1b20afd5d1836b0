// npm run job -- <name> [--refit] [--bulk auto|always|never] [--budget-ms N]: runs (or resumes) a
// batch job with a progress bar and ETA, or `worker` to drain the job queue. --bulk picks the
// taste vectors' path (lib/taste/bulk-build.ts): auto builds in bulk for a first build or refit. Names: embeddings, taste-vectors,
// profile-embeddings, traits, worker; or rotate-keys to re-seal secrets with the active key;
// products-import <file.csv|file.jsonl> loads catalogue products (lib/products/import-file.ts); or
// ranker-rollback and the experiment commands (scripts/lib/learning-commands.ts).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openConfiguredDb } from "../lib/runtime/database";
import { databaseUrl } from "../lib/db/config";
import { runBatch } from "../lib/jobs/batch";
import { configuredJobContext } from "../lib/job-registry/job-context";
import { allJobHandlers } from "../lib/job-registry/queue-handlers";
import { CRON_JOB_NAMES, isBatchJobName } from "../lib/jobs/names";
import { batchJob } from "../lib/job-registry/batch-jobs";
import { BULK_MODES } from "../lib/taste/bulk-build";
import { drainQueue } from "../lib/jobs/worker";
import { runningLocalServer } from "../lib/runtime/local-server";
import { ChatTraitsProvider } from "../lib/traits/llm";
import { encryptionKeys } from "../lib/crypto/keys";
import { rotateSealedSecrets } from "../lib/privacy/rotate-keys";
import { importProductFile } from "../lib/products/import-file";
import { runMain } from "./lib/main";
import { progressBar } from "./lib/progress";
import { isLearningCommand, LEARNING_COMMANDS, runLearningCommand } from "./lib/learning-commands";

await runMain("job", async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      refit: { type: "boolean", default: false },
      bulk: { type: "string", default: "auto" },
      "budget-ms": { type: "string" },
    },
  });
  const name = positionals[0];
  const commands = [...CRON_JOB_NAMES, "rotate-keys", "products-import", ...LEARNING_COMMANDS] as readonly string[];
  if (!name || !commands.includes(name)) {
    throw new Error(
      `usage: npm run job -- <${commands.join("|")}> [args] [--refit] [--bulk auto|always|never] [--budget-ms N]` +
        " (products-import <file.csv|file.jsonl>)",
    );
  }
  const file = positionals[1];
  if (name === "products-import" && !/\.(csv|jsonl)$/i.test(file ?? "")) {
    throw new Error("usage: npm run job -- products-import <file.csv|file.jsonl>");
  }
  const bulk = BULK_MODES.find((m) => m === values.bulk);
  if (!bulk) throw new Error(`--bulk must be one of ${BULK_MODES.join(", ")}`);
  const budgetMs = values["budget-ms"] === undefined ? undefined : Number(values["budget-ms"]);
  if (budgetMs !== undefined && !(budgetMs >= 0)) throw new Error("--budget-ms must be a number >= 0");
  if (!databaseUrl() && runningLocalServer()) {
    throw new Error("the embedded server (npm run dev) owns .data/ now: stop it first, or use DATABASE_URL");
  }
  const db = await openConfiguredDb();
  if (name === "products-import") {
    const written = await importProductFile(
      db,
      readFileSync(file!, "utf8"),
      file!.toLowerCase().endsWith(".csv") ? "csv" : "jsonl",
    );
    console.log(`products-import: ${written} products written`);
    return;
  }
  if (isLearningCommand(name)) return runLearningCommand(db, name, positionals.slice(1));
  if (name === "rotate-keys") {
    const bar = progressBar("re-sealing {bar} {value}/{total}");
    bar.start(0, 0);
    const result = await rotateSealedSecrets(db, encryptionKeys(), (done, total) => {
      bar.setTotal(total);
      bar.update(done);
    });
    bar.stop();
    console.log(
      `rotate-keys: ${result.resealed} re-sealed with the active key, ${result.alreadyCurrent} already on it`,
    );
    return;
  }
  const ctx = configuredJobContext();
  if (!isBatchJobName(name)) {
    const result = await drainQueue(db, allJobHandlers(ctx, { batchBudgetMs: budgetMs }), { budgetMs });
    console.log(`worker: ${result.done} done, ${result.retried} to retry, ${result.dead} dead-lettered`);
    return;
  }
  const bar = progressBar("{phase} {bar} {value}/{total} | ETA {eta_formatted}", { etaBuffer: 20 });
  let phase = "";
  const outcome = await runBatch(db, batchJob(name, ctx, { refit: values.refit, bulk }), {
    budgetMs,
    onProgress: (p) => {
      if (p.phaseName !== phase) {
        if (phase) bar.stop();
        phase = p.phaseName;
        bar.start(Math.max(p.total ?? 0, p.done), p.done, { phase });
      }
      bar.setTotal(Math.max(p.total ?? 0, p.done));
      bar.update(p.done, { phase });
    },
  });
  if (phase) bar.stop();
  if (ctx.traits instanceof ChatTraitsProvider) ctx.traits.logCost();
  console.log(
    outcome.status === "done"
      ? `${name}: done (run ${outcome.runId}, ${outcome.processed} items this call)`
      : `${name}: paused at ${outcome.progress.phaseName} ${outcome.progress.done}/${outcome.progress.total}; run again to resume`,
  );
});
