import type { Queryable } from "../db/types";
import type { JobContext } from "../jobs/context";
import { reembedUser } from "../jobs/reembed-user";

/**
 * The batch half of a privacy change (serving already stopped using the signal when the setting
 * was saved): recompute the person's derived data from their source data under the new settings.
 * With `favorites` off that deletes their taste vector and traits; with `interests`, `location`
 * or `behaviour` off their profile embedding is rebuilt without those signals; switching a
 * category back on restores what it feeds from the data still held.
 */
export async function propagatePrivacy(db: Queryable, ctx: JobContext, userId: string): Promise<void> {
  await reembedUser(db, ctx, userId);
}
