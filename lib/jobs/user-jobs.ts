import { computeProfileEmbeddings } from "../taste/profile-embedding";
import { computeTraits } from "../traits/compute";
import { countUsers, userPage } from "../taste/taste-vectors";
import type { BatchPhase } from "./batch";
import type { JobContext } from "./context";

export const profileEmbeddingsPhase: BatchPhase = {
  name: "profile embeddings",
  total: countUsers,
  async step(tx, cursor, limit) {
    const ids = await userPage(tx, cursor, limit);
    await computeProfileEmbeddings(tx, ids);
    return { processed: ids.length, cursor: ids.at(-1) ?? cursor, done: ids.length < limit };
  },
};

/** Traits for users whose traits are due (older than a week, or favorites changed > 10%). */
export function traitsPhase(ctx: JobContext): BatchPhase {
  return {
    name: "traits",
    total: countUsers,
    async step(tx, cursor, limit) {
      const ids = await userPage(tx, cursor, limit);
      await computeTraits(tx, ctx.traits, ids, { now: ctx.now() });
      return { processed: ids.length, cursor: ids.at(-1) ?? cursor, done: ids.length < limit };
    },
  };
}
