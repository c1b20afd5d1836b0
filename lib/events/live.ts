import type { Db, Queryable } from "../db/types";
import { log } from "../log";

/**
 * The live behaviour channel (`user_behavior`, the name Supabase Realtime would use). Ingestion
 * NOTIFYs inside its transaction, so a notice leaves at commit, once the features are updated;
 * each server process LISTENs once per database and hands notices to the open streams of the
 * person they concern (GET /api/v2/events/live). Because the notice goes through the database,
 * a stream on one `npm start` instance hears events another instance stored.
 */
export const BEHAVIOUR_CHANNEL = "user_behavior";

/** What a notice carries: whose features changed and by how many new events. No event content. */
export interface BehaviourNotice {
  userId: string;
  accepted: number;
}

/** Sends the notice with the ingesting transaction (delivered when it commits, never before). */
export async function notifyBehaviour(tx: Queryable, notice: BehaviourNotice): Promise<void> {
  await tx.query("SELECT pg_notify($1, $2)", [BEHAVIOUR_CHANNEL, JSON.stringify(notice)]);
}

type Listener = (notice: BehaviourNotice) => void;

interface Hub {
  byUser: Map<string, Set<Listener>>;
  /** The LISTEN, started by the first subscriber; retried by the next one if it failed. */
  ready: Promise<unknown>;
}

const hubs = new WeakMap<Db, Hub>();

function parseNotice(payload: string): BehaviourNotice | null {
  try {
    const n = JSON.parse(payload) as Partial<BehaviourNotice>;
    return typeof n.userId === "string" && typeof n.accepted === "number"
      ? { userId: n.userId, accepted: n.accepted }
      : null;
  } catch {
    return null;
  }
}

function hubFor(db: Db): Hub {
  const existing = hubs.get(db);
  if (existing) return existing;
  const byUser = new Map<string, Set<Listener>>();
  const hub: Hub = {
    byUser,
    ready: db.listen(BEHAVIOUR_CHANNEL, (payload) => {
      const notice = parseNotice(payload);
      if (!notice) return log.error("live channel: ignored a malformed notice");
      for (const listener of byUser.get(notice.userId) ?? []) listener(notice);
    }),
  };
  hub.ready.catch(() => hubs.delete(db));
  hubs.set(db, hub);
  return hub;
}

/**
 * Calls `listener` with each notice about `userId` until the returned function is called.
 * Resolves once the process listens (rejects if the database cannot LISTEN).
 */
export async function subscribeBehaviour(db: Db, userId: string, listener: Listener): Promise<() => void> {
  const hub = hubFor(db);
  await hub.ready;
  const set = hub.byUser.get(userId) ?? new Set<Listener>();
  set.add(listener);
  hub.byUser.set(userId, set);
  return () => {
    set.delete(listener);
    if (set.size === 0 && hub.byUser.get(userId) === set) hub.byUser.delete(userId);
  };
}

/** Open subscriptions of a person in this process (tests check a closed stream lets go). */
export function liveSubscriptions(db: Db, userId: string): number {
  return hubs.get(db)?.byUser.get(userId)?.size ?? 0;
}
