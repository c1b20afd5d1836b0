import type { Queryable } from "../db/types";
import { countMissingEmbeddings, fillMissingEmbeddings } from "../embeddings/fill";
import type { EmbeddingProvider } from "../embeddings/provider";
import { currentModel, ensureModel } from "../taste/pca-model";
import { countUnprojectedTitles, projectMissingTitles } from "../taste/projections";
import { computeTasteVectors, countUsers, userPage } from "../taste/taste-vectors";
import type { BatchPhase } from "./batch";

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

/** Fits the PCA model when there is none or the catalogue has grown (one step). */
export function modelPhase(options: { refit?: boolean } = {}): BatchPhase {
  return {
    name: "taste model",
    total: async () => 1,
    async step(tx) {
      await ensureModel(tx, options);
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

export function tasteVectorsPhase(now: () => Date): BatchPhase {
  return {
    name: "taste vectors",
    total: countUsers,
    async step(tx, cursor, limit) {
      const ids = await userPage(tx, cursor, limit);
      await computeTasteVectors(tx, await requireModel(tx), ids, now());
      return { processed: ids.length, cursor: ids.at(-1) ?? cursor, done: ids.length < limit };
    },
  };
}
