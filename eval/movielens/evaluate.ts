import type { Db } from "../../lib/db/types";
import { fromVectorColumn } from "../../lib/db/vector";
import { unitVector } from "../../lib/discovery/diversity";
import { buildSlate } from "../../lib/discovery/pipeline";
import { mean } from "../metrics";
import { NEIGHBOURS, popularFilms, recommendFromNeighbours, scoreLists, trainingView, type CfMetrics } from "./cf";
import type { MovieLens } from "./data";
import {
  cosineNeighbours,
  pearsonNeighbours,
  randomNeighbours,
  vectorNeighbours,
  type NeighbourLists,
} from "./neighbours";
import type { Prepared } from "./prepare";
import type { Split } from "./split";

export interface FinderResult extends CfMetrics {
  system: string;
  description: string;
  /** Share of the person's neighbours also in their cosine k-NN top NEIGHBOURS (null: no neighbours). */
  overlapWithCosine: number | null;
}

export interface AnnRecall {
  k: number;
  viewers: number;
  /** Mean |ANN top k ∩ exact top k| / k, both through discovery_ann (same filters). */
  recall: number;
}

export interface SplitReport {
  split: string;
  people: number;
  evaluated: number;
  meanRelevantPerPerson: number;
  systems: FinderResult[];
  annRecall: AnnRecall[];
  checks: { servedOverCosine: number; servedOverExact: number; targetOverCosine: 1.1; targetOverExact: 0.97 };
  importSeconds: number;
  batchSeconds: Record<string, number>;
  catalogueTitles: number;
  trainingFilms: number;
  evalSeconds: number;
}

async function servedNeighbours(
  db: Db,
  prepared: Prepared,
  people: number[],
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<NeighbourLists> {
  const out: NeighbourLists = new Map();
  let done = 0;
  for (const p of people) {
    const slate = await buildSlate(db, prepared.userOf.get(p)!, NEIGHBOURS);
    out.set(
      p,
      slate.entries.map((e) => prepared.personOf.get(e.userId)!).filter((n) => n !== undefined),
    );
    onProgress?.("served slates", ++done, people.length);
  }
  return out;
}

async function storedTaste(db: Db, prepared: Prepared): Promise<Map<number, Float32Array>> {
  const rows = await db.query<{ user_id: string; taste: string }>(
    `SELECT user_id::text AS user_id, taste::text AS taste FROM user_taste_vectors`,
  );
  return new Map(rows.map((r) => [prepared.personOf.get(r.user_id)!, unitVector(fromVectorColumn(r.taste))]));
}

/** ANN recall of the served taste stage: discovery_ann with HNSW forced, against the same call scanning exactly. */
async function annRecall(db: Db, prepared: Prepared, people: number[], k: number): Promise<AnnRecall> {
  const ids = async (viewer: string, setting: string) =>
    db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL ${setting} = off`);
      const rows = await tx.query<{ id: string }>(
        `SELECT a.candidate_id::text AS id FROM user_taste_vectors t,
                LATERAL discovery_ann(t.user_id, t.taste, NULL::vector, $2::int, 0) a
         WHERE t.user_id = $1::uuid AND a.found_by = 'taste'`,
        [viewer, k],
      );
      return new Set(rows.map((r) => r.id));
    });
  const recalls: number[] = [];
  for (const p of people) {
    const viewer = prepared.userOf.get(p)!;
    const exact = await ids(viewer, "enable_indexscan");
    if (!exact.size) continue;
    const ann = await ids(viewer, "enable_seqscan");
    recalls.push([...ann].filter((id) => exact.has(id)).length / exact.size);
  }
  return { k, viewers: recalls.length, recall: mean(recalls) };
}

/** Every neighbour finder through the same collaborative filter, on one split. */
export async function evaluateMovieLens(
  db: Db,
  data: MovieLens,
  split: Split,
  prepared: Prepared,
  options: { seed: number; annViewers: number; onProgress?: (stage: string, done: number, total: number) => void },
): Promise<SplitReport> {
  const started = performance.now();
  const view = trainingView(split.train);
  const everyone = [...split.train.keys()].sort((a, b) => a - b);
  const people = everyone.filter((p) => (split.relevant.get(p)?.size ?? 0) > 0);
  const gender = new Map([...data.people].map(([id, p]) => [id, p.gender as string]));
  const cosine = cosineNeighbours(split.train, people, NEIGHBOURS);
  const finders: { system: string; description: string; lists: NeighbourLists | null }[] = [
    {
      system: "served",
      description: "the served slate (GET /candidates, limit 50): ANN + ranker + safety + MMR + fairness",
      lists: await servedNeighbours(db, prepared, people, options.onProgress),
    },
    {
      system: "exact k-NN (taste vectors)",
      description: "exact cosine top 50 over the stored taste vectors",
      lists: vectorNeighbours(await storedTaste(db, prepared), people, NEIGHBOURS),
    },
    { system: "cosine k-NN (ratings)", description: "cosine top 50 over raw rating vectors", lists: cosine },
    {
      system: "Pearson k-NN (ratings)",
      description:
        "Pearson correlation over co-rated films, significance-weighted (n / 50 below 50 co-rated films), top 50",
      lists: pearsonNeighbours(split.train, people, NEIGHBOURS),
    },
    {
      system: "random",
      description: "50 people drawn at random",
      lists: randomNeighbours(everyone, people, NEIGHBOURS, options.seed),
    },
    { system: "popular", description: "the most rated films the person has not rated (no neighbours)", lists: null },
  ];
  const systems: FinderResult[] = finders.map(({ system, description, lists }) => {
    const recs = new Map(
      people.map((p) => [p, lists ? recommendFromNeighbours(view, p, lists.get(p) ?? []) : popularFilms(view, p)]),
    );
    const overlap = lists
      ? mean(
          people.map((p) => {
            const c = new Set(cosine.get(p));
            return (lists.get(p) ?? []).filter((n) => c.has(n)).length / NEIGHBOURS;
          }),
        )
      : null;
    return {
      system,
      description,
      ...scoreLists(view, people, recs, split.relevant, lists, gender),
      overlapWithCosine: overlap,
    };
  });
  const sample = people.slice(0, options.annViewers);
  const recall = [await annRecall(db, prepared, sample, 200), await annRecall(db, prepared, sample, NEIGHBOURS)];
  const ndcg = (name: string) => systems.find((s) => s.system === name)!.ndcgAt10;
  return {
    split: split.kind,
    people: everyone.length,
    evaluated: people.length,
    meanRelevantPerPerson: mean(people.map((p) => split.relevant.get(p)!.size)),
    systems,
    annRecall: recall,
    checks: {
      servedOverCosine: ndcg("served") / ndcg("cosine k-NN (ratings)"),
      servedOverExact: ndcg("served") / ndcg("exact k-NN (taste vectors)"),
      targetOverCosine: 1.1,
      targetOverExact: 0.97,
    },
    importSeconds: prepared.importSeconds,
    batchSeconds: prepared.batchSeconds,
    catalogueTitles: prepared.catalogueTitles,
    trainingFilms: prepared.trainingFilms,
    evalSeconds: (performance.now() - started) / 1000,
  };
}
