import type { Queryable } from "../db/types";
import { invalidateSlates } from "../discovery/slate-cache";
import { embedUserTitles } from "../embeddings/fill";
import { ensureModel } from "../taste/pca-model";
import { computeProfileEmbeddings } from "../taste/profile-embedding";
import { projectUserTitles } from "../taste/projections";
import { computeTasteVectors } from "../taste/taste-vectors";
import { computeTraits } from "../traits/compute";
import { z } from "zod";
import type { Db } from "../db/types";
import type { JobContext } from "../jobs/context";
import type { JobHandler } from "../jobs/worker";
import { clearBehaviourFeatures } from "../events/features";
import { getPrivacySettings } from "../privacy/settings";

/**
 * Brings one user up to date: embeds and projects their new titles, recomputes their taste
 * vector and profile embedding, and their traits when due (always with `forceTraits`: a privacy
 * change can take out fewer titles than the "due" threshold, and traits must not keep them).
 * Milliseconds per user: the model is only fitted here if none exists yet.
 */
export async function reembedUser(
  db: Queryable,
  ctx: JobContext,
  userId: string,
  options: { forceTraits?: boolean } = {},
): Promise<void> {
  await embedUserTitles(db, ctx.embeddings, userId);
  const model = await ensureModel(db);
  if (model) {
    await projectUserTitles(db, model, userId);
    await computeTasteVectors(db, model, [userId], ctx.now());
  }
  await computeProfileEmbeddings(db, [userId]);
  await computeTraits(db, ctx.traits, [userId], { now: ctx.now(), force: options.forceTraits });
  // Behaviour features are derived from behaviour alone: with the switch off they go.
  if (!(await getPrivacySettings(db, userId)).settings.behaviour) await clearBehaviourFeatures(db, userId);
  // Their own slate was built from the old vectors: the next request builds a fresh one.
  await invalidateSlates(db, [userId]);
}

const reembedPayload = z.object({ userId: z.uuid() });

/**
 * The queue's `re-embed-user` jobs (queueUserReembed in lib/jobs/enqueue.ts queues them) and
 * `privacy-propagation` jobs: the batch half of a privacy change (serving already stopped using
 * the signal when the setting was saved) recomputes the person's derived data from their source
 * data under the new settings. With `favorites` off that deletes their taste vector and traits;
 * with `connectors` off they are recomputed without the favorites a connector synced; with
 * `interests`, `location` or `behaviour` off their profile embedding is rebuilt without those
 * signals; switching a category back on restores what it feeds from the data still held.
 * It spans embeddings, taste, traits and the slate cache, so it lives here, above them.
 */
export function reembedUserHandler(ctx: JobContext, options: { forceTraits?: boolean } = {}): JobHandler {
  return async (db: Db, job) => {
    const { userId } = reembedPayload.parse(job.payload);
    await db.transaction((tx) => reembedUser(tx, ctx, userId, options));
  };
}
