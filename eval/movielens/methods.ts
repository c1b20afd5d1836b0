import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { truncatedSvd, type SparseRows } from "../../lib/taste/factorise";
import { COLLAB_DIMS, SINGULAR_POWER } from "../../lib/taste/collaborative";
import { ratingWeight } from "../../lib/taste/weights";
import { recommendFromNeighbours, scoreLists, trainingView, type CfMetrics } from "./cf";
import type { MovieLens } from "./data";
import {
  concatenateUnit,
  dense,
  easeWeights,
  implicitAls,
  itemKnnGraph,
  multiply,
  projectSvd,
  sppmiItemFactors,
  type Dense,
} from "./models";
import {
  asymmetricCosine,
  cosineMatrix,
  easeVoters,
  heldOutVoters,
  hubPenalised,
  type RuleInput,
} from "./neighbour-rules";
import { cosineNeighbours, pearsonNeighbours, vectorNeighbours, type NeighbourLists } from "./neighbours";
import { splitRatings, type KeyedRating } from "./split";
import { blendRows, easeRow, likedMatrix, ratedMatrix, validatedTarget, voteSetNeighbours } from "./vote-set";

/**
 * The taste-vector methods tried on MovieLens 100K, each scored by the same user-based CF as the
 * served evaluation, in memory (no database, no import): a person's vector is the weighted sum of
 * their films' collaborative factors, neighbours are the exact top 50 by cosine. The product's
 * choice (the first row) is what lib/taste/collaborative.ts and weights.ts fit and serve; the
 * METHODS rows change one thing each, the MODEL_METHODS rows are other models (models.ts).
 * `npm run eval -- --dataset ml-100k-methods` (about 9 minutes on one core).
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
  /** The randomised SVD's seed (the product's is 1). */
  seed?: number;
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
  // The same method under other sketch seeds: how much of a row's difference is the seed's.
  ...[2, 3, 4, 5].map((seed) => ({ ...PRODUCT, name: `product, SVD seed ${seed}`, seed })),
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

/** What a model row reads: the training ratings as a dense people x films matrix, and the product's vectors. */
interface ModelInput {
  /** Stars (1-5), 0 where unrated. */
  stars: Dense;
  /** Per film, ln(people / fans). */
  idf: Float64Array;
  /** The product method's (first row's) person vectors, unnormalised. */
  product: Dense;
}

/** A row that is not a linear SVD variant: a model that turns the ratings into person vectors. */
interface ModelMethod {
  name: string;
  vectors: (input: ModelInput) => Dense;
  /** The vectors' dimension cannot be stored in the taste column (vector(256)): a reference only. */
  reference?: boolean;
}

const mapDense = (x: Dense, f: (v: number, j: number) => number): Dense => ({
  ...x,
  data: x.data.map((v, i) => (v === 0 ? 0 : f(v, i % x.cols))),
});
const ease = (lambda: number, value: (stars: number) => number) => (i: ModelInput) => {
  const x = mapDense(i.stars, value);
  return multiply(x, easeWeights(x, lambda));
};
const als = (dims: number, lambda: number) => (i: ModelInput) =>
  implicitAls(i.stars, { dims, lambda, alpha: 1, iterations: 8 });
const itemKnn = (k: number) => (i: ModelInput) =>
  projectSvd(multiply(i.stars, itemKnnGraph(i.stars, k)), COLLAB_DIMS, SINGULAR_POWER);
/** The person as the product weights them (rating weight x IDF) over SPPMI item embeddings. */
const sppmi = (shift: number, liked: boolean) => (i: ModelInput) =>
  multiply(
    mapDense(i.stars, (v, j) => ratingWeight(v) * i.idf[j]),
    sppmiItemFactors(
      mapDense(i.stars, (v) => (!liked || v >= 4 ? 1 : 0)),
      shift,
      64,
      0,
    ),
  );
const likedIuf = (i: ModelInput) => mapDense(i.stars, (v, j) => (v >= 4 ? i.idf[j] : 0));

const MODEL_METHODS: ModelMethod[] = [
  { name: "EASE (stars, λ 50), person = X·B, 1,682 dims", vectors: ease(50, (v) => v), reference: true },
  { name: "EASE (stars, λ 50), X·B then SVD to 64 dims", vectors: (i) => projectSvd(ease(50, (v) => v)(i), 64, 0) },
  { name: "EASE (stars, λ 200), X·B then SVD to 64 dims", vectors: (i) => projectSvd(ease(200, (v) => v)(i), 64, 0) },
  { name: "EASE (stars, λ 500), X·B then SVD to 64 dims", vectors: (i) => projectSvd(ease(500, (v) => v)(i), 64, 0) },
  {
    name: "EASE (rated = 1, λ 200), X·B then SVD to 64 dims",
    vectors: (i) => projectSvd(ease(200, () => 1)(i), 64, 0),
  },
  {
    name: "EASE (liked = 1, λ 50), X·B then SVD to 64 dims",
    vectors: (i) => projectSvd(ease(50, (v) => (v >= 4 ? 1 : 0))(i), 64, 0),
  },
  { name: "item-kNN smoothed (top 20 item cosine), X·S then SVD 32, S^-0.5", vectors: itemKnn(20) },
  { name: "item-kNN smoothed (top 50), X·S then SVD 32, S^-0.5", vectors: itemKnn(50) },
  { name: "item-kNN smoothed (top 100), X·S then SVD 32, S^-0.5", vectors: itemKnn(100) },
  { name: "implicit ALS (confidence 1 + stars), 16 dims, λ 10", vectors: als(16, 10) },
  { name: "implicit ALS, 32 dims, λ 1", vectors: als(32, 1) },
  { name: "implicit ALS, 32 dims, λ 10", vectors: als(32, 10) },
  { name: "implicit ALS, 32 dims, λ 30", vectors: als(32, 30) },
  { name: "implicit ALS, 32 dims, λ 100", vectors: als(32, 100) },
  { name: "implicit ALS, 64 dims, λ 10", vectors: als(64, 10) },
  { name: "liked only x IUF, 1,682 dims", vectors: likedIuf, reference: true },
  { name: "liked only x IUF, SVD 32, S^-0.5", vectors: (i) => projectSvd(likedIuf(i), COLLAB_DIMS, SINGULAR_POWER) },
  { name: "SPPMI item embeddings (rated, shift 1), 64 dims; person = rating weight x IDF", vectors: sppmi(1, false) },
  { name: "SPPMI item embeddings (rated, shift 5), 64 dims", vectors: sppmi(5, false) },
  { name: "SPPMI item embeddings (liked, shift 1), 64 dims", vectors: sppmi(1, true) },
  {
    name: "ensemble: product 32 + ALS 32 (λ 10) + EASE-SVD 64 (λ 50), concatenated unit parts (128 dims)",
    vectors: (i) =>
      concatenateUnit([
        { x: i.product, weight: 1 },
        { x: als(32, 10)(i), weight: 1 },
        { x: projectSvd(ease(50, (v) => v)(i), 64, 0), weight: 1 },
      ]),
  },
  {
    name: "ensemble: product 32 + ALS 32 (λ 10) + item-kNN 32 (top 20) (96 dims)",
    vectors: (i) =>
      concatenateUnit([
        { x: i.product, weight: 1 },
        { x: als(32, 10)(i), weight: 1 },
        { x: itemKnn(20)(i), weight: 1 },
      ]),
  },
];

/** Rows that choose neighbours by a rule of their own rather than one vector per person (neighbour-rules.ts). */
const RULES: { name: string; lists: (input: RuleInput, model: ModelInput) => NeighbourLists }[] = [
  {
    name: "rule: cosine on raw ratings, hub-penalised (minus 0.75 x mean cosine to own top 200)",
    lists: (r) => hubPenalised(r, cosineMatrix(r.stars), 200, 0.75),
  },
  {
    name: "rule: product vectors, hub-penalised (minus 0.75 x mean cosine to own top 200)",
    lists: (r, m) => hubPenalised(r, cosineMatrix(m.product), 200, 0.75),
  },
  { name: "rule: asymmetric cosine on liked sets (Aiolli, alpha 0.3)", lists: (r) => asymmetricCosine(r, 0.3) },
  {
    name: "rule: EASE voters (the person's EASE scores of the films v would vote for, / |liked(v)|^0.75)",
    lists: (r) => easeVoters(r, 200, 0.75),
  },
  {
    name: "rule: EASE voters, / |liked(v)|^0.5",
    lists: (r) => easeVoters(r, 200, 0.5),
  },
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
  /** Cosine k-NN on training plus held-out ratings: sees the answers. */
  ceiling: CfMetrics;
  /** Neighbours chosen by how many of the person's held-out films they liked: sees the answers. */
  voteOracle: CfMetrics;
  /** EASE's λ for the vote-set rows, chosen on a split of the training data, and each λ's NDCG@10 there. */
  voteSetTarget: { lambda: number; alpha: number; ndcg: Record<string, number> };
  methods: MethodResult[];
}

/** λ tried for the vote-set rows' EASE target (chosen on a validation split, never the held-out films). */
const VOTE_SET_LAMBDAS = [100, 200, 500, 1000];
/** Weights tried for the held (any rating) model beside the loved one in the vote-set target. */
const VOTE_SET_HELD_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1];
/** The pool the vote set is chosen from: the served pipeline's profile pool size (settings.profileK). */
const VOTE_SET_POOL = 150;

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

  const unitVectors = (x: Dense): Map<number, Float32Array> =>
    new Map(
      users.map((u, i) => {
        const row = x.data.subarray(i * x.cols, (i + 1) * x.cols);
        const norm = Math.hypot(...row) || 1;
        return [u, Float32Array.from(row, (v) => v / norm)];
      }),
    );
  const vectorsOf = (m: Method): Dense => {
    const x: SparseRows = { cols: [], vals: [], nCols: films.length };
    for (const u of users) {
      const rs = split.train.get(u)!;
      const mean = personMean(rs);
      const vals = rs.map((r) => m.fit(r, mean) * (m.fitIdf ? idf(r.film) : 1));
      const norm = Math.hypot(...vals) || 1;
      x.cols.push(Int32Array.from(rs, (r) => column.get(r.film)!));
      x.vals.push(Float64Array.from(vals, (v) => v / norm));
    }
    const svd = truncatedSvd(x, m.dims, { seed: m.seed ?? 1 });
    const out = dense(users.length, svd.rank);
    users.forEach((u, i) => {
      const rs = split.train.get(u)!;
      const mean = personMean(rs);
      const v = out.data.subarray(i * svd.rank, (i + 1) * svd.rank);
      for (const r of rs) {
        const j = column.get(r.film)!;
        const w = m.user(r, mean) * (m.userIdf ? idf(r.film) : 1);
        for (let k = 0; k < svd.rank; k++) v[k] += w * svd.v[j * svd.rank + k] * svd.singularValues[k] ** m.power;
      }
    });
    return out;
  };
  const stars = dense(users.length, films.length);
  users.forEach((u, i) => {
    for (const r of split.train.get(u)!) stars.data[i * films.length + column.get(r.film)!] = r.rating;
  });
  const input: ModelInput = {
    stars,
    idf: Float64Array.from(films, idf),
    product: vectorsOf(PRODUCT),
  };

  const cosine = score(cosineNeighbours(split.train, people, 50));
  const pearson = score(pearsonNeighbours(split.train, people, 50));
  // Sees the held-out ratings: how far any neighbour finder could go with this CF, not a method.
  const withAnswers = new Map([...split.train].map(([u, rs]) => [u, [...rs, ...split.test.get(u)!]]));
  const ceiling = score(cosineNeighbours(withAnswers, people, 50));
  const total = METHODS.length + MODEL_METHODS.length + RULES.length + 2;
  const methods: MethodResult[] = [];
  const add = (name: string, vectors: Dense) => addLists(name, vectorNeighbours(unitVectors(vectors), people, 50));
  const addLists = (name: string, lists: NeighbourLists) => {
    const metrics = score(lists);
    methods.push({ method: name, ...metrics, overCosine: metrics.ndcgAt10 / cosine.ndcgAt10 });
    onProgress?.(methods.length, total);
  };
  for (const m of METHODS) add(m.name, vectorsOf(m));
  for (const m of MODEL_METHODS) add(`${m.name}${m.reference ? " (not storable: reference)" : ""}`, m.vectors(input));
  const ruleInput: RuleInput = { users, people, stars, view, column };
  for (const r of RULES) addLists(r.name, r.lists(ruleInput, input));
  const validated = validatedTarget(ruleInput, VOTE_SET_LAMBDAS, VOTE_SET_HELD_WEIGHTS, seed);
  const liked = likedMatrix(stars);
  const rated = ratedMatrix(stars);
  const predicted = blendRows(
    easeRow(liked, easeWeights(liked, validated.lambda)),
    easeRow(rated, easeWeights(rated, validated.lambda)),
    validated.alpha,
  );
  for (const [pool, similarity] of [
    ["cosine on raw ratings", cosineMatrix(stars)],
    ["the product's vectors", cosineMatrix(input.product)],
  ] as const) {
    addLists(
      `vote set: from the ${VOTE_SET_POOL} nearest by ${pool}, the 50 whose votes best make the person's EASE top 10 (liked + ${validated.alpha} x rated, λ ${validated.lambda})`,
      voteSetNeighbours(ruleInput, { similarity, predicted, pool: VOTE_SET_POOL, k: 50 }),
    );
  }
  const voteOracle = score(heldOutVoters(ruleInput, split.relevant, 0.5));
  return {
    generatedAt: new Date().toISOString(),
    seed,
    cosine,
    pearson,
    ceiling,
    voteOracle,
    voteSetTarget: { lambda: validated.lambda, alpha: validated.alpha, ndcg: Object.fromEntries(validated.ndcg) },
    methods,
  } satisfies MethodsReport;
}

const f3 = (x: number | null) => (x === null ? "-" : x.toFixed(3));

export function methodsMarkdown(r: MethodsReport): string {
  const row = (name: string, m: CfMetrics, over: string) =>
    `| ${name} | ${f3(m.precisionAt10)} | ${f3(m.ndcgAt10)} | ${over} | ${f3(m.coverage)} | ${f3(m.genderDisparateImpact)} |`;
  return [
    "### Taste-vector methods tried on MovieLens 100K (random split, exact k-NN, in memory)",
    "",
    "Each row from the product's method (first row) to the liked-only row changes one thing from it; a person's vector is the weighted sum of their films' collaborative factors (randomised truncated SVD), neighbours the exact top 50 by cosine, scored by the same user-based CF as the served evaluation. The rows after it are other models (eval/movielens/models.ts): EASE (Steck 2019) item-item weights B with the person's smoothed row X·B, item-kNN smoothing, implicit ALS (Hu, Koren & Volinsky 2008), liked-only x IUF, item embeddings from shifted positive PMI (Levy & Goldberg 2014), and concatenations of unit parts (their cosine is the mean of the parts' cosines). The rule rows choose neighbours by something other than one vector's cosine (eval/movielens/neighbour-rules.ts): a penalty on hub people near everyone (as CSLS), Aiolli's asymmetric cosine, and neighbours chosen for the films they would vote for, scored by the person's EASE predictions. Rows marked reference have more dimensions than the taste column holds (vector(256)). Two rows read the answers and are not methods: plain cosine given the held-out ratings too, and the vote oracle, which picks the 50 people who liked the most of the person's held-out films (over the square root of how many films they liked): the choice of neighbours alone could more than double cosine's NDCG under this CF, yet every similarity tried here, on vectors or on ratings, lands within 0.8-1.07x of cosine. The vote-set rows (eval/movielens/vote-set.ts) choose the 50 together rather than one by one: from the person's nearest, greedily, each time the one whose votes most raise the DCG of the CF's top 10 against the films the person's next-titles model predicts they will like next: EASE on liked films plus a weight times EASE on every rated film (what people chose beside what the person chose, liked or not), λ and weight chosen on a validation split of the training data, never the held-out films. Data: MovieLens 100K, GroupLens Research (read from ../shared).",
    "",
    "| method | Precision@10 | NDCG@10 | / cosine | coverage | gender disparate impact |",
    "| --- | --- | --- | --- | --- | --- |",
    row("cosine k-NN on raw ratings (baseline)", r.cosine, "1.000"),
    row("Pearson k-NN, significance-weighted", r.pearson, f3(r.pearson.ndcgAt10 / r.cosine.ndcgAt10)),
    row(
      "ceiling, not a method: cosine k-NN on training + held-out ratings (sees the answers)",
      r.ceiling,
      f3(r.ceiling.ndcgAt10 / r.cosine.ndcgAt10),
    ),
    row(
      "vote oracle, not a method: the 50 people who liked most of the held-out films, / sqrt(|liked|)",
      r.voteOracle,
      f3(r.voteOracle.ndcgAt10 / r.cosine.ndcgAt10),
    ),
    ...r.methods.map((m) => row(m.method, m, f3(m.overCosine))),
    "",
    `Vote-set target: EASE on liked films + ${r.voteSetTarget.alpha} x EASE on rated films, λ ${r.voteSetTarget.lambda}, chosen on a validation split of the training data (each person's training ratings split again 80/20, the relevant ones rated >= 4; NDCG@10 of the blend's top 10 there, by λ/weight: ${Object.entries(
      r.voteSetTarget.ndcg,
    )
      .map(([key, ndcg]) => `${key} ${f3(ndcg)}`)
      .join(", ")}).`,
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
