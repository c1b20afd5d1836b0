import type { Db } from "../lib/db/types";
import { Rng } from "../lib/random";
import { dot } from "../lib/discovery/diversity";
import { computeFeatures } from "../lib/discovery/features";
import { buildSlate } from "../lib/discovery/pipeline";
import { PRIOR_MODEL, rankCandidates } from "../lib/discovery/ranker/model";
import { retrieveCandidates } from "../lib/discovery/retrieve";
import { applySafety } from "../lib/discovery/safety";
import { defaultSettings } from "../lib/discovery/settings";
import { loadViewer } from "../lib/discovery/viewer";
import type { EvalDataset } from "./dataset";

/** A recommender under evaluation: the viewer's top k user ids, best first. */
export interface EvalSystem {
  name: string;
  description: string;
  recommend(viewerId: string, k: number): Promise<string[]>;
}

function hashSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Exact top k by a per-user score (self excluded), ties by id. */
function topBy(ids: readonly string[], self: string, k: number, score: (id: string) => number | null): string[] {
  const scored: [string, number][] = [];
  for (const id of ids) {
    if (id === self) continue;
    const s = score(id);
    if (s !== null) scored.push([id, s]);
  }
  scored.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return scored.slice(0, k).map(([id]) => id);
}

function cosineTo(vectors: ReadonlyMap<string, Float32Array>, viewer: string) {
  const v = vectors.get(viewer);
  return (id: string) => {
    const u = vectors.get(id);
    return v && u ? dot(v, u) : null;
  };
}

export function randomSystem(data: EvalDataset, seed: number): EvalSystem {
  return {
    name: "random",
    description: "k users drawn uniformly (seeded per viewer)",
    async recommend(viewer, k) {
      const rng = new Rng(seed ^ hashSeed(viewer));
      return rng.sample(
        data.userIds.filter((id) => id !== viewer),
        k,
      );
    },
  };
}

export function popularSystem(data: EvalDataset): EvalSystem {
  const ranked = [...data.userIds].sort(
    (a, b) => data.popularity.get(b)! - data.popularity.get(a)! || a.localeCompare(b),
  );
  return {
    name: "popular",
    description: "the same list for everyone: users whose favorites are the most widely held titles",
    async recommend(viewer, k) {
      return ranked.filter((id) => id !== viewer).slice(0, k);
    },
  };
}

export function profileOnlySystem(data: EvalDataset): EvalSystem {
  return {
    name: "profile-only",
    description: "exact nearest neighbours by profile-embedding cosine",
    async recommend(viewer, k) {
      return topBy(data.userIds, viewer, k, cosineTo(data.profile, viewer));
    },
  };
}

export function tasteOnlySystem(data: EvalDataset): EvalSystem {
  return {
    name: "taste-only",
    description: "exact nearest neighbours by taste-vector cosine",
    async recommend(viewer, k) {
      return topBy(data.userIds, viewer, k, cosineTo(data.taste, viewer));
    },
  };
}

/**
 * The strongest simple baseline on this data: everyone ranked by how many distinct favorite
 * titles they share with the viewer (the count the ranker's sharedFavorites feature saturates),
 * over the whole population rather than a retrieved pool; ties, including everyone at zero, by id.
 */
export function sharedFavoritesSystem(data: EvalDataset): EvalSystem {
  const holders = new Map<string, string[]>();
  for (const [user, titles] of data.favorites) {
    for (const title of titles) {
      const list = holders.get(title);
      if (list) list.push(user);
      else holders.set(title, [user]);
    }
  }
  return {
    name: "shared favorites",
    description: "everyone ranked by the number of distinct favorites shared with the viewer, ties by id",
    async recommend(viewer, k) {
      const shared = new Map<string, number>();
      for (const title of data.favorites.get(viewer) ?? []) {
        for (const user of holders.get(title)!) shared.set(user, (shared.get(user) ?? 0) + 1);
      }
      return topBy(data.userIds, viewer, k, (id) => shared.get(id) ?? 0);
    },
  };
}

/** The prior's two similarity weights (0.30 taste, 0.15 profile), renormalised. */
const TASTE_SHARE =
  PRIOR_MODEL.weights.tasteSimilarity / (PRIOR_MODEL.weights.tasteSimilarity + PRIOR_MODEL.weights.profileSimilarity);

export function tasteProfileSystem(data: EvalDataset): EvalSystem {
  return {
    name: "taste+profile",
    description: `exact neighbours by ${TASTE_SHARE.toFixed(2)} x taste cosine + ${(1 - TASTE_SHARE).toFixed(2)} x profile cosine`,
    async recommend(viewer, k) {
      const taste = cosineTo(data.taste, viewer);
      const profile = cosineTo(data.profile, viewer);
      return topBy(
        data.userIds,
        viewer,
        k,
        (id) => TASTE_SHARE * (taste(id) ?? 0) + (1 - TASTE_SHARE) * (profile(id) ?? 0),
      );
    },
  };
}

/**
 * The serving pipeline's retrieval (ANN taste UNION ANN profile), features, active ranker and
 * safety stage, ordered by score: what the slate would be without MMR, the community cap and
 * the fairness step.
 */
export function pipelineRankerSystem(db: Db): EvalSystem {
  return {
    name: "pipeline ranker",
    description: "serving retrieval + features + active ranker + safety, no diversity/fairness re-ranking",
    async recommend(viewer, k) {
      const loaded = await loadViewer(db, viewer);
      const raw = await retrieveCandidates(db, loaded.viewer, {
        kind: "ann",
        tasteK: loaded.viewer.taste ? defaultSettings.tasteK : 0,
        profileK: loaded.viewer.embedding ? defaultSettings.profileK : 0,
      });
      const ranked = rankCandidates(
        loaded.model,
        raw.map((r) => computeFeatures(loaded.viewer, r)),
      );
      const safe = applySafety(ranked, { blocked: loaded.blocked, reportPenalty: defaultSettings.reportPenalty });
      return safe.slice(0, k).map((c) => c.raw.userId);
    },
  };
}

/** The full pipeline as served: the first page of the slate GET /candidates would build. */
export function fullPipelineSystem(db: Db): EvalSystem {
  return {
    name: "full pipeline",
    description: "buildSlate as served (ranker, safety, MMR lambda 0.7, 30% community cap, fairness)",
    async recommend(viewer, k) {
      const slate = await buildSlate(db, viewer, Math.max(k, defaultSettings.minSlateLength));
      return slate.entries.slice(0, k).map((e) => e.userId);
    },
  };
}
