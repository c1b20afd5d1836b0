import type { Db } from "../db/types";
import type { Locale } from "../i18n/locales";
import { visibleRoom } from "./rooms";
import type { RoomVisibility } from "./visibility";

export interface Person {
  userId: string;
  displayName: string;
}

export interface RoomDetail {
  id: string;
  title: string;
  tags: string[];
  language: Locale;
  visibility: RoomVisibility;
  open: boolean;
  host: Person;
  attendees: Person[];
  inside: boolean;
  isHost: boolean;
}

/** A room the viewer may see, with the people inside now (longest-present first). */
export async function roomDetail(db: Db, viewerId: string, roomId: string): Promise<RoomDetail> {
  const state = await visibleRoom(db, viewerId, roomId);
  const [room] = await db.query<{
    title: string;
    tags: string[];
    language: Locale;
    visibility: RoomVisibility;
    host_name: string;
  }>(
    `SELECT r.title, r.tags, r.language, r.visibility, p.display_name AS host_name
     FROM rooms r JOIN profiles p ON p.user_id = r.host_id WHERE r.id = $1`,
    [roomId],
  );
  const attendees = await db.query<{ user_id: string; display_name: string }>(
    `SELECT a.user_id, p.display_name FROM room_attendees a JOIN profiles p ON p.user_id = a.user_id
     WHERE a.room_id = $1 AND a.left_at IS NULL ORDER BY a.joined_at, a.user_id`,
    [roomId],
  );
  return {
    id: roomId,
    title: room.title,
    tags: room.tags,
    language: room.language,
    visibility: room.visibility,
    open: state.open,
    host: { userId: state.hostId, displayName: room.host_name },
    attendees: attendees.map((a) => ({ userId: a.user_id, displayName: a.display_name })),
    inside: state.inside,
    isHost: state.hostId === viewerId,
  };
}
