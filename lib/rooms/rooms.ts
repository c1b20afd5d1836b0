import { randomUUID } from "node:crypto";
import type { Db, Queryable } from "../db/types";
import { ingestEvents } from "../events/ingest";
import { HttpError } from "../http/errors";
import type { Locale } from "../i18n/locales";
import { roomExclusionsSql, roomVisibleSql } from "./access";
import { activeIndexFor } from "./active-index";
import type { RoomVisibility } from "./visibility";

export interface NewRoom {
  title: string;
  tags: string[];
  language: Locale;
  visibility: RoomVisibility;
}

export interface RoomState {
  id: string;
  hostId: string;
  open: boolean;
  /** The viewer is inside now. */
  inside: boolean;
}

/** The room as the viewer may see it (roomVisibleSql), or a 404: one answer for unknown and hidden. */
export async function visibleRoom(db: Queryable, viewerId: string, roomId: string): Promise<RoomState> {
  const [row] = await db.query<{ id: string; host_id: string; open: boolean; inside: boolean }>(
    `SELECT r.id, r.host_id, r.closed_at IS NULL AS open,
       EXISTS (SELECT 1 FROM room_attendees a WHERE a.room_id = r.id AND a.user_id = $1 AND a.left_at IS NULL) AS inside
     FROM rooms r WHERE r.id = $2 AND ${roomVisibleSql("r", "$1::uuid", roomExclusionsSql("$1::uuid"))}`,
    [viewerId, roomId],
  );
  if (!row) throw new HttpError(404, "not_found", "no such room", "id");
  return { id: row.id, hostId: row.host_id, open: row.open, inside: row.inside };
}

/** Opens a room hosted by the viewer, who is inside it from the start. */
export async function createRoom(db: Db, hostId: string, room: NewRoom): Promise<{ id: string }> {
  const id = await db.transaction(async (tx) => {
    const known = await tx.query(`SELECT 1 FROM profiles WHERE user_id = $1`, [hostId]);
    if (known.length === 0) throw new HttpError(404, "unknown_viewer", "no profile for this account");
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO rooms (host_id, title, tags, language, visibility) VALUES ($1, $2, $3::text[], $4, $5) RETURNING id`,
      [hostId, room.title, [...new Set(room.tags)], room.language, room.visibility],
    );
    await tx.query(`INSERT INTO room_attendees (room_id, user_id) VALUES ($1, $2)`, [row.id, hostId]);
    return row.id;
  });
  await afterJoin(db, hostId, id);
  return { id };
}

/** Closes the viewer's room; everyone inside leaves (their taste leaves the room's with them). */
export async function closeRoom(db: Db, viewerId: string, roomId: string): Promise<{ id: string }> {
  await db.transaction(async (tx) => {
    const room = await visibleRoom(tx, viewerId, roomId);
    if (room.hostId !== viewerId) throw new HttpError(403, "forbidden", "only the host can close a room");
    await tx.query(`UPDATE rooms SET closed_at = coalesce(closed_at, now()) WHERE id = $1`, [roomId]);
    await tx.query(`UPDATE room_attendees SET left_at = now() WHERE room_id = $1 AND left_at IS NULL`, [roomId]);
  });
  return { id: roomId };
}

/**
 * Puts the viewer inside an open room they may see (again, if they had left). The join is a
 * `join_room` event, stored like any client event (so not while behaviour is off).
 */
export async function joinRoom(db: Db, viewerId: string, roomId: string): Promise<{ id: string; inside: true }> {
  await db.transaction(async (tx) => {
    const room = await visibleRoom(tx, viewerId, roomId);
    if (!room.open) throw new HttpError(409, "room_closed", "the room is closed");
    if (room.inside) return;
    await tx.query(
      `INSERT INTO room_attendees (room_id, user_id) VALUES ($1, $2)
       ON CONFLICT (room_id, user_id) DO UPDATE SET joined_at = now(), left_at = NULL`,
      [roomId, viewerId],
    );
  });
  await afterJoin(db, viewerId, roomId);
  return { id: roomId, inside: true };
}

async function afterJoin(db: Db, userId: string, roomId: string): Promise<void> {
  const now = new Date();
  await ingestEvents(
    db,
    { userId },
    [{ id: randomUUID(), kind: "join_room", targetType: "room", targetId: roomId, clientTime: now.toISOString() }],
    now,
  );
  activeIndexFor(db).touch(userId);
}

/** Takes the viewer out of a room (nothing to do when they are not inside). */
export async function leaveRoom(db: Db, viewerId: string, roomId: string): Promise<{ id: string; inside: false }> {
  const left = await db.query(
    `UPDATE room_attendees SET left_at = now() WHERE room_id = $1 AND user_id = $2 AND left_at IS NULL RETURNING 1`,
    [roomId, viewerId],
  );
  if (left.length === 0) await visibleRoom(db, viewerId, roomId); // 404 for a room they cannot see
  activeIndexFor(db).touch(viewerId);
  return { id: roomId, inside: false };
}

/**
 * Invites someone to an open room: the host or someone inside may. The invitee must exist and be
 * someone the inviter could be suggested to (no block either way); the room then shows in their
 * rooms list (a private room only ever to invitees).
 */
export async function inviteToRoom(
  db: Db,
  viewerId: string,
  roomId: string,
  userId: string,
): Promise<{ id: string; userId: string }> {
  if (userId === viewerId) throw new HttpError(400, "invalid_input", "userId: you cannot invite yourself", "userId");
  return db.transaction(async (tx) => {
    const room = await visibleRoom(tx, viewerId, roomId);
    if (room.hostId !== viewerId && !room.inside)
      throw new HttpError(403, "forbidden", "only the host or someone inside can invite");
    if (!room.open) throw new HttpError(409, "room_closed", "the room is closed");
    const [ok] = await tx.query<{ known: boolean; blocked: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM profiles WHERE user_id = $2) AS known,
         $2 = ANY (discovery_excluded($1, false)) AS blocked`,
      [viewerId, userId],
    );
    if (!ok.known || ok.blocked) throw new HttpError(404, "not_found", "no such user", "userId");
    await tx.query(
      `INSERT INTO room_invitations (room_id, user_id, invited_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [roomId, userId, viewerId],
    );
    return { id: roomId, userId };
  });
}
