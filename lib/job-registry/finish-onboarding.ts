import type { Db } from "../db/types";
import { serveCandidates } from "../discovery/pipeline";
import { dropQueuedJobs, queueUserReembed } from "../jobs/enqueue";
import { ExternalServiceError, withOutboundDeadline } from "../outbound";
import { configuredJobContext } from "./job-context";
import { reembedUser } from "./reembed-user";

/** The most the welcome request waits on the embeddings API and the traits LLM in all. */
export const WELCOME_OUTBOUND_MS = 3000;

/**
 * The end of /welcome (§9.1): marks the person onboarded (the page is shown once), brings their
 * vectors up to date with what they just entered now instead of on the worker's next turn (the
 * queued re-embed is taken over), and pre-warms their slate, so the carousel they land on opens
 * from the cache. With remote providers, their calls share a budget of WELCOME_OUTBOUND_MS: a
 * provider that is down, slow or behind an open breaker rolls the re-embed back, queues it for the
 * worker, and the answer says `tastePending` (the slate is built from the vectors as they were).
 */
export async function finishOnboarding(db: Db, userId: string): Promise<{ slateSize: number; tastePending: boolean }> {
  await db.query("UPDATE profiles SET onboarded_at = coalesce(onboarded_at, now()) WHERE user_id = $1", [userId]);
  await dropQueuedJobs(db, "re-embed-user", userId);
  let tastePending = false;
  try {
    await withOutboundDeadline(WELCOME_OUTBOUND_MS, () =>
      db.transaction((tx) => reembedUser(tx, configuredJobContext(), userId)),
    );
  } catch (err) {
    if (!(err instanceof ExternalServiceError)) throw err;
    await queueUserReembed(db, userId);
    tastePending = true;
  }
  const warmed = await serveCandidates(db, userId, { offset: 0, limit: 0 });
  return { slateSize: warmed.total, tastePending };
}
