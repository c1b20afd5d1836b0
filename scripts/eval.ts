// npm run eval -- [--users 1000] [--viewers 200] [--seed 7] [--database-url URL] [--out eval/results]
// npm run eval -- --dataset ml-100k [--split random|temporal|both] [--database-url URL]
// npm run eval -- --dataset cross-media [--users 1000] [--viewers 200]: one medium held out per demo
//   person, neighbours from the other media against popular (eval/cross-media.ts), in-memory PGlite;
// npm run eval -- --dataset ml-100k-methods: the taste-vector methods tried, in memory (no database);
//   writes <out>/eval-ml-100k-methods.json and .md.
//   MovieLens 100K on PostgreSQL (--database-url, else EVAL_DATABASE_URL / BENCH_DATABASE_URL):
//   a database of its own on that server; writes <out>/eval-ml-100k.json, .md and .svg.
// npm run eval -- --scenario products [--seed 42]: the item engine on MovieLens 100K (in memory;
//   stratified 75/25, all held-out relevant), writes <out>/eval-products-ml-100k.json and .md.
// npm run eval -- --scenario streams [--seed 7]: the live-stream feeds on simulated watch data with
//   hidden viewer preferences (in memory), writes <out>/eval-streams.json and .md.
// Offline evaluation of people discovery on planted-community demo data: builds an in-memory
// PGlite database (or uses --database-url, which should be a scratch database: demo users,
// vectors and audit groups are written to it, and 20% of its demo people's favorites are moved
// to eval.held_out_favorites for the label), runs the batch jobs, then compares the full
// pipeline with baselines, then measures coverage with and without exploration (each of --viewers
// people opens one page of 10 at exploration rates 0 / 0.1 / 0.3 / 0.5), and writes <out>/eval.json
// and eval.md.
import { parseArgs } from "node:util";
import { migrate } from "../lib/db/migrate";
import { crossMediaEval, writeCrossMediaReport } from "../eval/cross-media";
import { openPglite } from "../lib/db/pglite";
import { openPostgres } from "../lib/db/postgres";
import { evaluate } from "../eval/evaluate";
import { explorationCoverage } from "../eval/coverage";
import { prepareEvalData } from "../eval/prepare";
import { writeEvalReport } from "../eval/report";
import { writeMovieLensReport } from "../eval/movielens/report";
import { loadMovieLens } from "../eval/movielens/data";
import { methodsReport, writeMethodsReport } from "../eval/movielens/methods";
import { runMovieLensEval } from "../eval/movielens/run";
import { runProductsEval } from "../eval/products/run";
import { writeProductsReport } from "../eval/products/report";
import { runStreamsEval } from "../eval/streams/run";
import { writeStreamsReport } from "../eval/streams/report";
import { runMain } from "./lib/main";
import { progressBar } from "./lib/progress";

function wholeNumber(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number >= 1`);
  return n;
}

await runMain("eval", async () => {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "1000" },
      viewers: { type: "string", default: "200" },
      seed: { type: "string", default: "7" },
      "database-url": { type: "string" },
      out: { type: "string", default: "eval/results" },
      dataset: { type: "string", default: "demo" },
      split: { type: "string", default: "both" },
      "ann-viewers": { type: "string", default: "200" },
      scenario: { type: "string", default: "people" },
    },
  });
  if (values.scenario === "products") {
    console.log(writeProductsReport(runProductsEval(wholeNumber(values.seed, "seed")), values.out!));
    return;
  }
  if (values.scenario === "streams") {
    console.log(writeStreamsReport(runStreamsEval(wholeNumber(values.seed, "seed")), values.out!));
    return;
  }
  if (values.scenario !== "people") throw new Error("--scenario must be people, products or streams");
  if (!["demo", "ml-100k", "ml-100k-methods", "cross-media"].includes(values.dataset!))
    throw new Error("--dataset must be demo, ml-100k, ml-100k-methods or cross-media");
  if (!["random", "temporal", "both"].includes(values.split!))
    throw new Error("--split must be random, temporal or both");
  const users = wholeNumber(values.users, "users");
  const viewers = wholeNumber(values.viewers, "viewers");
  const seed = wholeNumber(values.seed, "seed");
  const url = values["database-url"];
  const bar = progressBar("{stage} {bar} {value}/{total} | ETA {eta_formatted}");
  let stage = "";
  const onProgress = (next: string, done: number, total: number) => {
    if (next !== stage) {
      if (stage) bar.stop();
      stage = next;
      bar.start(total, done, { stage });
    }
    bar.setTotal(total);
    bar.update(done, { stage });
  };
  if (values.dataset === "ml-100k-methods") {
    bar.start(1, 0, { stage: "methods" });
    const report = methodsReport(loadMovieLens(), seed, (done, total) => {
      bar.setTotal(total);
      bar.update(done, { stage: "methods" });
    });
    bar.stop();
    console.log(`\n${writeMethodsReport(report, values.out!)}`);
    return;
  }
  if (values.dataset === "ml-100k") {
    const pgUrl = url ?? process.env.EVAL_DATABASE_URL ?? process.env.BENCH_DATABASE_URL;
    if (!pgUrl) throw new Error("--dataset ml-100k runs on PostgreSQL: give --database-url (or EVAL_DATABASE_URL)");
    try {
      const report = await runMovieLensEval(pgUrl, {
        splits: values.split === "both" ? ["random", "temporal"] : [values.split as "random" | "temporal"],
        seed,
        annViewers: wholeNumber(values["ann-viewers"], "ann-viewers"),
        onProgress,
      });
      bar.stop();
      console.log(`\n${writeMovieLensReport(report, values.out!)}`);
    } finally {
      bar.stop();
    }
    return;
  }
  const db = url ? openPostgres(url, { max: 2 }) : await openPglite();
  if (values.dataset === "cross-media") {
    try {
      await migrate(db);
      const report = await crossMediaEval(db, { users, viewers, seed, onProgress });
      if (stage) bar.stop();
      console.log(`\n${writeCrossMediaReport(report, values.out!)}`);
    } finally {
      bar.stop();
      await db.close();
    }
    return;
  }
  try {
    await migrate(db);
    await prepareEvalData(db, { users, seed, onProgress });
    const report = await evaluate(db, { viewers, seed, onProgress });
    const coverageViewers = await db.query<{ id: string }>(
      `SELECT user_id::text AS id FROM profiles ORDER BY md5(user_id::text) LIMIT $1`,
      [viewers],
    );
    report.coverage = await explorationCoverage(
      db,
      coverageViewers.map((v) => v.id),
      10,
      onProgress,
    );
    if (stage) bar.stop();
    console.log(`\n${writeEvalReport(report, values.out!)}`);
  } finally {
    bar.stop();
    await db.close();
  }
});
