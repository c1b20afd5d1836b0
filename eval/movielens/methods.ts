import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { truncatedSvd, type SparseRows } from "../../lib/taste/factorise";
import { COLLAB_DIMS, SINGULAR_POWER } from "../../lib/taste/collaborative";
import { ratingWeight } from "../../lib/taste/weights";
import { recommendFromNeighbours, scoreLists, trainingView, type CfMetrics } from "./cf";
import type { MovieLens } from "./data";
import { cosineNeighbours, pearsonNeighbours, vectorNeighbours, type NeighbourLists } from "./neighbours";
import { splitRatings, type KeyedRating } from "./split";

/**
 * The taste-vector methods tried on MovieLens 100K, each scored by the same user-based CF as the
 * served evaluation, in memory (no database, no import): a person's vector is the weighted sum of
 * their films' collaborative factors, neighbours are the exact top 50 by cosine. The product's
 * choice (the first row) is what lib/taste/collaborative.ts and weights.ts fit and serve; the
 * other rows change one thing each. `npm run eval -- --dataset ml-100k-methods`.
 */
type Weight = (r: KeyedRating, personMean: number) => number;

interface Method {
  name: string;
  dims: number;
  power: number;
  /** Each rating's value in the matrix the factors are fitted on (times IDF when fitIdf). */
  fit: Weight;
  fitIdf: boolean;
  /** Each film's weight in the person's vector (times IDF when userIdf). */
  user: Weight;
  userIdf: boolean;
}

const stars: Weight = (r) => r.rating;
const product: Weight = (r) => ratingWeight(r.rating);
const centred: Weight = (r, mean) => r.rating - mean;
const minusThree: Weight = (r) => r.rating - 3;
const likedOnly: Weight = (r) => (r.rating >= 4 ? 1 : 0);

const PRODUCT: Method = {
  name: `product: ${COLLAB_DIMS} dims, S^${SINGULAR_POWER}, fit stars x IDF, person = rating weight x IDF`,
  dims: COLLAB_DIMS,
  power: SINGULAR_POWER,
  fit: stars,
  fitIdf: true,
  user: product,
  userIdf: true,
};

const METHODS: Method[] = [
  PRODUCT,
  { ...PRODUCT, name: "16 dims", dims: 16 },
  { ...PRODUCT, name: "24 dims", dims: 24 },
  { ...PRODUCT, name: "48 dims", dims: 48 },
  { ...PRODUCT, name: "64 dims", dims: 64 },
  { ...PRODUCT, name: "S^0 (plain singular vectors)", power: 0 },
  { ...PRODUCT, name: "S^-0.25", power: -0.25 },
  { ...PRODUCT, name: "S^-0.75", power: -0.75 },
  { ...PRODUCT, name: "S^-1 (whitened)", power: -1 },
  { ...PRODUCT, name: "fit without IDF", fitIdf: false },
  { ...PRODUCT, name: "fit on rating weight", fit: product },
  { ...PRODUCT, name: "person without IDF", userIdf: false },
  { ...PRODUCT, name: "person = rating - own mean (low ratings count against)", user: centred },
  { ...PRODUCT, name: "person = rating - 3", user: minusThree },
  { ...PRODUCT, name: "fit and person centred on own mean", fit: centred, user: centred },
  { ...PRODUCT, name: "fit and person on liked films only (>= 4)", fit: likedOnly, user: likedOnly },
];

export interface MethodResult extends CfMetrics {
  method: string;
  overCosine: number;
}

export interface MethodsReport {
  generatedAt: string;
  seed: number;
  cosine: CfMetrics;
  pearson: CfMetrics;
  methods: MethodResult[];
}

function personMean(ratings: KeyedRating[]): number {
  return ratings.reduce((s, r) => s + r.rating, 0) / (ratings.length || 1);
}

export function methodsReport(data: MovieLens, seed: number, onProgress?: (done: number, total: number) => void) {
  const split = splitRatings(data, "random", seed);
  const view = trainingView(split.train);
  const people = [...split.relevant.keys()].filter((p) => split.relevant.get(p)!.size > 0);
  const gender = new Map([...data.people].map(([id, p]) => [id, p.gender]));
  const users = [...split.train.keys()];
  const films = [...view.films];
  const column = new Map(films.map((f, j) => [f, j]));
  const idf = (film: string) => Math.log(users.length / view.popularity.get(film)!);
  const score = (neighbours: NeighbourLists): CfMetrics => {
    const lists = new Map(people.map((p) => [p, recommendFromNeighbours(view, p, neighbours.get(p) ?? [])]));
    return scoreLists(view, people, lists, split.relevant, neighbours, gender);
  };

  const vectorsOf = (m: Method): Map<number, Float32Array> => {
    const x: SparseRows = { cols: [], vals: [], nCols: films.length };
    for (const u of users) {
      const rs = split.train.get(u)!;
      const mean = personMean(rs);
      const vals = rs.map((r) => m.fit(r, mean) * (m.fitIdf ? idf(r.film) : 1));
      const norm = Math.hypot(...vals) || 1;
      x.cols.push(Int32Array.from(rs, (r) => column.get(r.film)!));
      x.vals.push(Float64Array.from(vals, (v) => v / norm));
    }
    const svd = truncatedSvd(x, m.dims, { seed: 1 });
    const out = new Map<number, Float32Array>();
    for (const u of users) {
      const rs = split.train.get(u)!;
      const mean = personMean(rs);
      const v = new Float32Array(svd.rank);
      for (const r of rs) {
        const j = column.get(r.film)!;
        const w = m.user(r, mean) * (m.userIdf ? idf(r.film) : 1);
        for (let k = 0; k < svd.rank; k++) v[k] += w * svd.v[j * svd.rank + k] * svd.singularValues[k] ** m.power;
      }
      const norm = Math.hypot(...v) || 1;
      out.set(
        u,
        v.map((x) => x / norm),
      );
    }
    return out;
  };

  const cosine = score(cosineNeighbours(split.train, people, 50));
  const pearson = score(pearsonNeighbours(split.train, people, 50));
  const methods: MethodResult[] = [];
  for (const m of METHODS) {
    const metrics = score(vectorNeighbours(vectorsOf(m), people, 50));
    methods.push({ method: m.name, ...metrics, overCosine: metrics.ndcgAt10 / cosine.ndcgAt10 });
    onProgress?.(methods.length, METHODS.length);
  }
  return { generatedAt: new Date().toISOString(), seed, cosine, pearson, methods } satisfies MethodsReport;
}

const f3 = (x: number | null) => (x === null ? "-" : x.toFixed(3));

export function methodsMarkdown(r: MethodsReport): string {
  const row = (name: string, m: CfMetrics, over: string) =>
    `| ${name} | ${f3(m.precisionAt10)} | ${f3(m.ndcgAt10)} | ${over} | ${f3(m.coverage)} | ${f3(m.genderDisparateImpact)} |`;
  return [
    "### Taste-vector methods tried on MovieLens 100K (random split, exact k-NN, in memory)",
    "",
    "Each row changes one thing from the product's method (first row); a person's vector is the weighted sum of their films' collaborative factors (randomised truncated SVD), neighbours the exact top 50 by cosine, scored by the same user-based CF as the served evaluation. Data: MovieLens 100K, GroupLens Research (read from ../shared).",
    "",
    "| method | Precision@10 | NDCG@10 | / cosine | coverage | gender disparate impact |",
    "| --- | --- | --- | --- | --- | --- |",
    row("cosine k-NN on raw ratings (baseline)", r.cosine, "1.000"),
    row("Pearson k-NN, significance-weighted", r.pearson, f3(r.pearson.ndcgAt10 / r.cosine.ndcgAt10)),
    ...r.methods.map((m) => row(m.method, m, f3(m.overCosine))),
    "",
    `Seed ${r.seed}; run ${r.generatedAt}.`,
    "",
  ].join("\n");
}

/** Writes <dir>/eval-ml-100k-methods.json and .md; returns the Markdown. */
export function writeMethodsReport(r: MethodsReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const md = methodsMarkdown(r);
  writeFileSync(join(dir, "eval-ml-100k-methods.json"), `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(join(dir, "eval-ml-100k-methods.md"), md);
  return md;
}
