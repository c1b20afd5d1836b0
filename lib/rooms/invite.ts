import type { Db } from "../db/types";
import { fromVectorColumn, toVectorParam } from "../db/vector";
import { responseLocale } from "../discovery/viewer-locale";
import { HttpError } from "../http/errors";
import type { Locale } from "../i18n/locales";
import { activeIndexFor, activeTastesSql, type IndexHit } from "./active-index";
import { activeWindowMs, inviteIndexEnabled, MIN_INVITE_COSINE } from "./config";
import { renderRoomReason } from "./reasons";
import { visibleRoom } from "./rooms";

export interface PersonToInvite {
  userId: string;
  displayName: string;
  score: number;
  reasons: string[];
}

export interface InviteAnswer {
  people: PersonToInvite[];
  source: "index" | "database";
}

/** The room's taste as a unit vector, or null while nobody inside brings one. */
export async function roomTaste(db: Db, roomId: string): Promise<Float32Array | null> {
  const [row] = await db.query<{ taste: string | null }>(
    `SELECT taste_sum::text AS taste FROM room_tastes WHERE room_id = $1`,
    [roomId],
  );
  if (!row?.taste) return null;
  const v = fromVectorColumn(row.taste);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm > 0 ? Float32Array.from(v, (x) => x / norm) : null;
}

/** pgvector's answer: an exact scan of the active people's vectors (the production path on Vercel). */
export async function candidatesFromDatabase(db: Db, taste: Float32Array, k: number, now: number): Promise<IndexHit[]> {
  const rows = await db.query<{ user_id: string; cosine: number }>(
    `SELECT t.user_id, (1 - (t.taste <=> $2::vector))::float8 AS cosine
     FROM (${activeTastesSql()}) s JOIN user_taste_vectors t ON t.user_id = s.user_id
     WHERE t.taste <=> $2::vector < $3
     ORDER BY t.taste <=> $2::vector LIMIT $4`,
    [new Date(now - activeWindowMs()), toVectorParam(taste), 1 - MIN_INVITE_COSINE, k],
  );
  return rows.map((r) => ({ userId: r.user_id, cosine: r.cosine }));
}

/**
 * The proposals that pass every rule, closest first: still seen within the active window, not
 * inside or invited, not hidden from discovery (the shared rule, with `favorites`), and no block
 * either way with the caller, the host or anyone inside.
 */
async function admissible(
  db: Db,
  viewerId: string,
  roomId: string,
  hits: IndexHit[],
  now: number,
  limit: number,
): Promise<{ user_id: string; display_name: string; cosine: number }[]> {
  if (hits.length === 0) return [];
  return db.query(
    `WITH inside AS (
       SELECT user_id AS id FROM room_attendees WHERE room_id = $4 AND left_at IS NULL
       UNION SELECT host_id FROM rooms WHERE id = $4 UNION SELECT $3::uuid
     )
     SELECT c.id AS user_id, p.display_name, c.cosine FROM unnest($1::uuid[], $2::float8[]) WITH ORDINALITY AS c(id, cosine, ord)
     JOIN profiles p ON p.user_id = c.id
     WHERE NOT EXISTS (SELECT 1 FROM inside x WHERE x.id = c.id)
       AND NOT EXISTS (SELECT 1 FROM room_invitations i WHERE i.room_id = $4 AND i.user_id = c.id)
       AND NOT EXISTS (SELECT 1 FROM discovery_hidden('favorites') h WHERE h.user_id = c.id)
       AND NOT EXISTS (SELECT 1 FROM inside x JOIN blocks b
         ON (b.blocker_id = x.id AND b.blocked_id = c.id) OR (b.blocked_id = x.id AND b.blocker_id = c.id))
       AND (EXISTS (SELECT 1 FROM behaviour_recent br WHERE br.user_id = c.id AND br.updated_at > $5)
         OR EXISTS (SELECT 1 FROM room_attendees j WHERE j.user_id = c.id AND j.joined_at > $5))
     ORDER BY c.ord LIMIT $6`,
    [hits.map((h) => h.userId), hits.map((h) => h.cosine), viewerId, roomId, new Date(now - activeWindowMs()), limit],
  );
}

/**
 * People to invite to a room (its host or someone inside asks): active people whose taste is
 * close to the room's (cosine > 0.7), proposed by this process's index of active people, or by
 * pgvector while the index is cold or switched off, then checked against every rule in SQL.
 */
export async function peopleToInvite(
  db: Db,
  viewerId: string,
  roomId: string,
  request: { limit: number; locale?: Locale; acceptLanguage: string | null; now?: number },
): Promise<InviteAnswer> {
  const now = request.now ?? Date.now();
  const room = await visibleRoom(db, viewerId, roomId);
  if (room.hostId !== viewerId && !room.inside)
    throw new HttpError(403, "forbidden", "only the host or someone inside sees whom to invite");
  if (!room.open) throw new HttpError(409, "room_closed", "the room is closed");
  const locale = await responseLocale(db, viewerId, request.locale, request.acceptLanguage);
  const taste = await roomTaste(db, roomId);
  const useIndex = inviteIndexEnabled();
  if (!taste) return { people: [], source: useIndex && activeIndexFor(db).warm ? "index" : "database" };
  // Room for the people the rules will drop (those inside, invited, blocked).
  const want = request.limit * 3 + 20;
  const fromIndex = useIndex ? activeIndexFor(db).search(taste, want, MIN_INVITE_COSINE, now) : null;
  const hits = fromIndex ?? (await candidatesFromDatabase(db, taste, want, now));
  const people = await admissible(db, viewerId, roomId, hits, now, request.limit);
  return {
    people: people.map((p) => ({
      userId: p.user_id,
      displayName: p.display_name,
      score: Math.round(p.cosine * 1000) / 1000,
      reasons: [renderRoomReason({ kind: "close_to_room" }, locale)],
    })),
    source: fromIndex ? "index" : "database",
  };
}
