import type { Db } from "../db/types";
import { serveCandidates } from "../discovery/pipeline";
import { dropQueuedJobs } from "../jobs/enqueue";
import { configuredJobContext } from "./job-context";
import { reembedUser } from "./reembed-user";

/**
 * The end of /welcome (§9.1): marks the person onboarded (the page is shown once), brings their
 * vectors up to date with what they just entered now instead of on the worker's next turn (the
 * queued re-embed is taken over), and pre-warms their slate, so the carousel they land on opens
 * from the cache.
 */
export async function finishOnboarding(db: Db, userId: string): Promise<{ slateSize: number }> {
  await db.query("UPDATE profiles SET onboarded_at = coalesce(onboarded_at, now()) WHERE user_id = $1", [userId]);
  await dropQueuedJobs(db, "re-embed-user", userId);
  await db.transaction((tx) => reembedUser(tx, configuredJobContext(), userId));
  const warmed = await serveCandidates(db, userId, { offset: 0, limit: 0 });
  return { slateSize: warmed.total };
}
