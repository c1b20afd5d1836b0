import type { Db, Queryable } from "../db/types";
import { HttpError } from "../http/errors";
import { getPrivacySettings } from "../privacy/settings";
import { clientEventSchema, type ClientEvent } from "./event-schema";
import { dropAnonymousEvents, mergeAnonymousEvents } from "./anonymous";
import { updateBehaviourFeatures } from "./features";
import { notifyBehaviour } from "./live";

/**
 * Who sent the events: a signed-in person (with the anonymous id they browsed under before signing
 * in, whose events become theirs), or a shop visitor's client-generated id.
 */
export type EventSubject = { userId: string; mergeAnonId?: string } | { anonId: string };

export interface RejectedEvent {
  index: number;
  /** The event's field at fault; null when the event as a whole is refused (over the cap). */
  field: string | null;
  /** invalid: fails the contract; implausible: dwell or time out of reach; rate_limited: over the cap. */
  code: "invalid" | "implausible" | "rate_limited";
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
  /** False when the person keeps `behaviour` off: nothing was stored. */
  stored: boolean;
}

/**
 * Whose events a request carries: the signed-in person (merging the anonymous id they browsed
 * under, when sent), else the visitor's anonymous id; neither is a 400 naming anonId.
 */
export function eventSubject(viewerId: string | null, anonId: string | undefined): EventSubject {
  if (viewerId) return { userId: viewerId, mergeAnonId: anonId };
  if (anonId) return { anonId };
  throw new HttpError(400, "invalid_input", "anonId: send an access token or an anonId", "anonId");
}

/** How far a client's clock may be from ours: a day back (offline queues), five minutes ahead. */
export const MAX_CLIENT_LAG_MS = 24 * 60 * 60 * 1000;
export const MAX_CLIENT_LEAD_MS = 5 * 60 * 1000;

/** Events per minute per person and per anonymous id (MESH_EVENTS_PER_MINUTE; default 1,200). */
export function eventsPerMinute(): number {
  const n = Number(process.env.MESH_EVENTS_PER_MINUTE ?? 1200);
  if (!Number.isInteger(n) || n < 1) throw new Error("MESH_EVENTS_PER_MINUTE must be a whole number >= 1");
  return n;
}

/**
 * Stores a batch of client events. Each is checked on its own (bad ones are listed by index and
 * field, good ones kept); the per-minute cap counts every valid event sent; an event id the
 * subject sent before is a duplicate and stored once. The events, their receipts and the person's
 * features are written in one transaction, so when this returns the accepted events are durable.
 */
export async function ingestEvents(
  db: Db,
  subject: EventSubject,
  raw: readonly unknown[],
  now: Date = new Date(),
): Promise<IngestResult> {
  const rejected: RejectedEvent[] = [];
  const valid: { index: number; event: ClientEvent }[] = [];
  raw.forEach((item, index) => {
    const problem = checkEvent(item, now);
    if (problem) rejected.push({ index, ...problem });
    else valid.push({ index, event: item as ClientEvent });
  });

  if ("userId" in subject && !(await getPrivacySettings(db, subject.userId)).settings.behaviour) {
    // What the visitor did before signing in is theirs too: with behaviour off it is not kept.
    if (subject.mergeAnonId) await dropAnonymousEvents(db, subject.mergeAnonId);
    return { accepted: 0, duplicates: 0, rejected, stored: false };
  }
  if ("userId" in subject && subject.mergeAnonId)
    await mergeAnonymousEvents(db, subject.userId, subject.mergeAnonId, now);
  if (valid.length === 0) return { accepted: 0, duplicates: 0, rejected, stored: true };

  const key = "userId" in subject ? `u:${subject.userId}` : `a:${subject.anonId}`;
  return db.transaction(async (tx) => {
    const allowed = await takeQuota(tx, key, valid.length, now);
    for (const v of valid.slice(allowed)) rejected.push({ index: v.index, field: null, code: "rate_limited" });
    const within = valid.slice(0, allowed).map((v) => v.event);
    const fresh = await newEvents(tx, key, within, now);
    if (fresh.length > 0) {
      await insertEvents(tx, subject, fresh, now);
      if ("userId" in subject) {
        await updateBehaviourFeatures(tx, subject.userId, fresh, now);
        // Leaves at commit: the person's open pages hear of it once the features are there.
        await notifyBehaviour(tx, { userId: subject.userId, accepted: fresh.length });
      }
    }
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: fresh.length, duplicates: within.length - fresh.length, rejected, stored: true };
  });
}

function checkEvent(item: unknown, now: Date): Omit<RejectedEvent, "index"> | null {
  const parsed = clientEventSchema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join(".") || null;
    const tooLong = issue.code === "too_big" && (field === "dwellMs" || field === "watchMs");
    return { field, code: tooLong ? "implausible" : "invalid" };
  }
  const skew = now.getTime() - Date.parse(parsed.data.clientTime);
  if (skew > MAX_CLIENT_LAG_MS || skew < -MAX_CLIENT_LEAD_MS) return { field: "clientTime", code: "implausible" };
  return null;
}

/** Adds `count` to the subject's tally for this minute; returns how many of them fit under the cap. */
async function takeQuota(tx: Queryable, key: string, count: number, now: Date): Promise<number> {
  const [{ n }] = await tx.query<{ n: number }>(
    `INSERT INTO event_quota (subject, minute, n) VALUES ($1, date_trunc('minute', $2::timestamptz), $3)
     ON CONFLICT (subject, minute) DO UPDATE SET n = event_quota.n + EXCLUDED.n
     RETURNING n`,
    [key, now, count],
  );
  const before = n - count;
  return Math.max(0, Math.min(count, eventsPerMinute() - before));
}

/** Records the receipts; returns the events whose ids this subject had not sent before. */
async function newEvents(tx: Queryable, key: string, events: ClientEvent[], now: Date): Promise<ClientEvent[]> {
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  const inserted = await tx.query<{ event_id: string }>(
    `INSERT INTO event_receipts (subject, event_id, received_at)
     SELECT $1, x.id::uuid, $3 FROM jsonb_array_elements_text($2::text::jsonb) AS x(id)
     ORDER BY 2
     ON CONFLICT DO NOTHING
     RETURNING event_id`,
    [key, JSON.stringify(unique.map((e) => e.id)), now],
  );
  const isNew = new Set(inserted.map((r) => r.event_id));
  return unique.filter((e) => isNew.has(e.id));
}

async function insertEvents(tx: Queryable, subject: EventSubject, events: ClientEvent[], now: Date): Promise<void> {
  const rows = events.map((e) => ({
    event_id: e.id,
    kind: e.kind,
    target_type: e.targetType,
    target_id: e.targetId,
    value: e.dwellMs ?? e.watchMs ?? null,
    payload: { ...(e.query ? { query: e.query } : {}), ...(e.context ? { context: e.context } : {}) },
    client_time: e.clientTime,
  }));
  await tx.query(
    `INSERT INTO events (user_id, anon_id, event_id, kind, target_type, target_id, value, payload, client_time, created_at)
     SELECT $1, $2, x.event_id, x.kind, x.target_type, x.target_id, x.value, x.payload, x.client_time, $4
     FROM jsonb_to_recordset($3::text::jsonb) AS x(event_id uuid, kind text, target_type text, target_id text,
                                            value float8, payload jsonb, client_time timestamptz)`,
    [
      "userId" in subject ? subject.userId : null,
      "anonId" in subject ? subject.anonId : null,
      JSON.stringify(rows),
      now,
    ],
  );
}
