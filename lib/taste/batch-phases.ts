import type { Queryable } from "../db/types";
import { countMissingEmbeddings, fillMissingEmbeddings } from "../embeddings/fill";
import type { EmbeddingProvider } from "../embeddings/provider";
import { currentModel, ensureModel } from "./pca-model";
import { countUnprojectedTitles, projectMissingTitles } from "./projections";
import {
  beginBulkBuild,
  BUILD_TABLE,
  bulkBuildInProgress,
  type BulkMode,
  indexBulkBuild,
  shouldBuildInBulk,
  swapBulkBuild,
} from "./bulk-build";
import { computeTasteVectors, countUsers, userPage } from "./taste-vectors";
import type { BatchPhase } from "../jobs/batch";
import { computeProfileEmbeddings } from "./profile-embedding";

/** Fills canonical_media.embedding where it is missing. */
export function embeddingsPhase(provider: EmbeddingProvider): BatchPhase {
  return {
    name: "title embeddings",
    total: countMissingEmbeddings,
    async step(tx, cursor, limit) {
      const r = await fillMissingEmbeddings(tx, provider, { after: cursor, limit });
      return { processed: r.processed, cursor: r.last, done: r.processed < limit };
    },
  };
}

async function requireModel(db: Queryable) {
  const model = await currentModel(db);
  if (!model) throw new Error("no taste model: there are no embedded titles to fit one on");
  return model;
}

/** Fits the taste model when there is none or the catalogue or the favorites in use grew (one step). */
export function modelPhase(options: { refit?: boolean } = {}): BatchPhase {
  return {
    name: "taste model",
    total: async () => 1,
    async step(tx) {
      await ensureModel(tx, { ...options, favoritesGrowth: true });
      return { processed: 1, cursor: null, done: true };
    },
  };
}

export const projectionsPhase: BatchPhase = {
  name: "title projections",
  total: async (db) => {
    const model = await currentModel(db);
    return model ? countUnprojectedTitles(db, model) : 0;
  },
  async step(tx, cursor, limit) {
    const r = await projectMissingTitles(tx, await requireModel(tx), { after: cursor, limit });
    return { processed: r.processed, cursor: r.last, done: r.processed < limit };
  },
};

/**
 * Every user's taste vector, in keyset chunks. The first chunk decides the path (bulk-build.ts):
 * per row into the serving table, or, for a first build or refit, into a build table that the
 * next two phases index and swap in. A resumed run follows whichever the build table says.
 */
export function tasteVectorsPhase(now: () => Date, bulk: BulkMode = "auto"): BatchPhase {
  return {
    name: "taste vectors",
    total: countUsers,
    async step(tx, cursor, limit) {
      const model = await requireModel(tx);
      let inBulk: boolean;
      if (cursor === null) {
        // A new run decides afresh; beginBulkBuild replaces an abandoned run's build table.
        inBulk = await shouldBuildInBulk(tx, model, bulk);
        if (inBulk) await beginBulkBuild(tx);
        else await tx.exec(`DROP TABLE IF EXISTS ${BUILD_TABLE}`);
      } else {
        inBulk = await bulkBuildInProgress(tx);
      }
      const table = inBulk ? BUILD_TABLE : "user_taste_vectors";
      const ids = await userPage(tx, cursor, limit);
      await computeTasteVectors(tx, model, ids, now(), table);
      return { processed: ids.length, cursor: ids.at(-1) ?? cursor, done: ids.length < limit };
    },
  };
}

/** Bulk path only: builds the HNSW index over the filled build table (one long step). */
export const tasteIndexPhase: BatchPhase = {
  name: "taste index (bulk build only)",
  total: async () => 1,
  async step(tx, _cursor, _limit, kind) {
    if (await bulkBuildInProgress(tx)) await indexBulkBuild(tx, kind);
    return { processed: 1, cursor: null, done: true };
  },
};

/** Bulk path only: catches up changes made during the build and swaps the tables. */
export function tasteSwapPhase(now: () => Date): BatchPhase {
  return {
    name: "taste swap (bulk build only)",
    total: async () => 1,
    async step(tx) {
      if (await bulkBuildInProgress(tx)) await swapBulkBuild(tx, await requireModel(tx), now());
      return { processed: 1, cursor: null, done: true };
    },
  };
}

export const profileEmbeddingsPhase: BatchPhase = {
  name: "profile embeddings",
  total: countUsers,
  async step(tx, cursor, limit) {
    const ids = await userPage(tx, cursor, limit);
    await computeProfileEmbeddings(tx, ids);
    return { processed: ids.length, cursor: ids.at(-1) ?? cursor, done: ids.length < limit };
  },
};
