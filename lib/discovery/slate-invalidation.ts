import { z } from "zod";
import type { Db } from "../db/types";
import { log } from "../log";
import { forgetAllServedPages, forgetServedPagesOf, forgetServedPagesShowing } from "./served-pages";

/**
 * How a slate invalidation reaches every server process: invalidateSlates and
 * invalidateSlatesShowing NOTIFY on this channel in the statement that deletes the cached slates
 * (delivered at commit), and each process that serves pages from memory LISTENs and forgets them.
 * A notification lost while a listening connection reconnects is covered by the recheck window
 * (served-pages.ts pageRecheckMs).
 */
export const SLATES_CHANNEL = "mesh_slates";

/** NOTIFY payloads are capped at 8,000 bytes; a longer list of viewers forgets every page. */
const MAX_PAYLOAD = 7_900;

const payloadSchema = z.union([
  z.object({ viewers: z.array(z.string()) }),
  z.object({ showing: z.string() }),
  z.object({ all: z.literal(true) }),
]);
type InvalidationPayload = z.infer<typeof payloadSchema>;

export function invalidationPayload(p: InvalidationPayload): string {
  const text = JSON.stringify(p);
  return text.length <= MAX_PAYLOAD ? text : JSON.stringify({ all: true });
}

/** Applies one notification to this process's remembered pages. */
export function applyInvalidation(text: string): void {
  let parsed: InvalidationPayload;
  try {
    parsed = payloadSchema.parse(JSON.parse(text));
  } catch {
    // Not ours or garbled: forgetting everything is always safe.
    forgetAllServedPages();
    return;
  }
  if ("viewers" in parsed) forgetServedPagesOf(parsed.viewers);
  else if ("showing" in parsed) forgetServedPagesShowing(parsed.showing);
  else forgetAllServedPages();
}

const listening = new WeakMap<Db, Promise<boolean>>();

/**
 * Starts listening on this database once per process (not on a serverless instance, which is
 * frozen between requests and relies on the recheck window). Resolves to whether it listens.
 */
export function listenForSlateInvalidations(db: Db): Promise<boolean> {
  if (process.env.VERCEL) return Promise.resolve(false);
  let started = listening.get(db);
  if (!started) {
    started = db.listen(SLATES_CHANNEL, applyInvalidation).then(
      () => true,
      (err) => {
        log.error("slate invalidations: LISTEN failed; pages are rechecked by age only", err);
        listening.delete(db); // try again on a later request
        return false;
      },
    );
    listening.set(db, started);
  }
  return started;
}
