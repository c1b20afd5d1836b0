import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProductsEval, SystemResult } from "./evaluate";

export interface ProductsReport {
  generatedAt: string;
  dataset: string;
  seed: number;
  split: string;
  /** EASE with each interaction weighted 1 (the engine's model) and with the rating as its weight. */
  binary: ProductsEval;
  rating: ProductsEval;
}

/** Microsoft Recommenders' MovieLens 100K benchmark (k = 10, stratified 75/25, all held-out relevant). */
export const PUBLISHED = [
  { system: "SAR (published)", precision: 0.331, ndcg: 0.385 },
  { system: "BPR (published)", precision: 0.388, ndcg: 0.443 },
  { system: "BiVAE (published)", precision: 0.411, ndcg: 0.471 },
];

const f3 = (x: number) => x.toFixed(3);
const row = (r: SystemResult, note = "") =>
  `| ${r.system}${note} | ${f3(r.precision)} | ${f3(r.recall)} | ${f3(r.ndcg)} | ${r.people} | ${r.fitSeconds ? r.fitSeconds.toFixed(1) : "-"} |`;

export function productsMarkdown(r: ProductsReport): string {
  const b = r.binary;
  const beats = b.ease.personal.precision >= 0.388 && b.ease.personal.ndcg >= 0.443;
  return [
    "### Product recommendations on MovieLens 100K (`npm run eval -- --scenario products`)",
    "",
    `Each person's ratings split ${r.split} at random (seed ${r.seed}); every held-out rating is relevant; seen items are never recommended; k = 10. Every system is measured in the same run through lib/items (the code the daily batch and the request path run).`,
    "",
    "| system | Precision@10 | Recall@10 | NDCG@10 | people | fit s |",
    "| --- | --- | --- | --- | --- | --- |",
    row(b.popular),
    row(b.itemKnn.personal),
    row(b.ease.personal, " **(the engine)**"),
    row(r.rating.ease.personal, ", rating as weight"),
    row(b.ease.anonymous),
    row(b.itemKnn.anonymous),
    ...PUBLISHED.map((p) => `| ${p.system} | ${f3(p.precision)} | - | ${f3(p.ndcg)} | - | - |`),
    "",
    `- EASE against BPR's published line (P@10 0.388, NDCG@10 0.443): **${beats ? "at or above" : "below"}** (${f3(b.ease.personal.precision)} / ${f3(b.ease.personal.ndcg)}).`,
    "- Anonymous: a visitor whose session is the person's first 5 held-out events (oldest first), scored against the rest of their held-out events; people with more than 5 held-out events.",
    "- Published rows: Microsoft Recommenders' MovieLens benchmark notebook (examples/06_benchmarks/movielens.ipynb), MovieLens 100K, as quoted in issue 22; older versions of that table differ a little.",
    "",
  ].join("\n");
}

/** Writes <dir>/eval-products-ml-100k.json and .md; returns the Markdown. */
export function writeProductsReport(report: ProductsReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const md = productsMarkdown(report);
  writeFileSync(join(dir, "eval-products-ml-100k.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, "eval-products-ml-100k.md"), `${md}\n`);
  return md;
}
