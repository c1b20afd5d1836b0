import type { BatchPhase } from "../jobs/batch";
import type { JobContext } from "../jobs/context";
import { countUsers, userPage } from "../taste/taste-vectors";
import { computeTraits } from "./compute";

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
