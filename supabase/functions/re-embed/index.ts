// Edge Function: brings one user's taste vector, profile embedding and (when due) traits up to
// date after their favorites or profile changed.
import { configuredJobContext } from "../../../lib/job-registry/job-context.ts";
import { reembedUser } from "../../../lib/job-registry/reembed-user.ts";
import { userFunction } from "../_shared/run.ts";

export const handler = userFunction(async (db, userId) => {
  await db.transaction((tx) => reembedUser(tx, configuredJobContext(), userId));
  return { userId, reembedded: true };
});

if (import.meta.main) Deno.serve(handler);
