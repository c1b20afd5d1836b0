import type { Queryable } from "../db/types";
import { invalidateSlates } from "../discovery/slate-cache";
import { embedUserTitles } from "../embeddings/fill";
import { ensureModel } from "../taste/pca-model";
import { computeProfileEmbeddings } from "../taste/profile-embedding";
import { projectUserTitles } from "../taste/projections";
import { computeTasteVectors } from "../taste/taste-vectors";
import { computeTraits } from "../traits/compute";
import type { JobContext } from "./context";
import { enqueueJob } from "./enqueue";

/** Queues a user's re-embedding after their favorites or profile changed (many edits, one job). */
export function queueUserReembed(db: Queryable, userId: string): Promise<number> {
  return enqueueJob(db, "re-embed-user", { userId }, { dedupeKey: `re-embed:${userId}` });
}

/**
 * Brings one user up to date: embeds and projects their new titles, recomputes their taste
 * vector and profile embedding, and their traits when due. Milliseconds per user: the model is
 * only fitted here if none exists yet.
 */
export async function reembedUser(db: Queryable, ctx: JobContext, userId: string): Promise<void> {
  await embedUserTitles(db, ctx.embeddings, userId);
  const model = await ensureModel(db);
  if (model) {
    await projectUserTitles(db, model, userId);
    await computeTasteVectors(db, model, [userId], ctx.now());
  }
  await computeProfileEmbeddings(db, [userId]);
  await computeTraits(db, ctx.traits, [userId], { now: ctx.now() });
  // Their own slate was built from the old vectors: the next request builds a fresh one.
  await invalidateSlates(db, [userId]);
}
