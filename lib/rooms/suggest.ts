import type { Db } from "../db/types";
import { responseLocale } from "../discovery/viewer-locale";
import { favoriteInUseSql } from "../favorites/in-use";
import type { Locale } from "../i18n/locales";
import { roomVisibleSql } from "./access";
import { renderRoomReason, type RoomReason } from "./reasons";

export interface SuggestedRoom {
  id: string;
  title: string;
  tags: string[];
  attendees: number;
  score: number;
  reasons: string[];
}

interface RankedRow {
  id: string;
  title: string;
  tags: string[];
  attendees: number;
  invited: boolean;
  similarity: number;
  connections: number;
  age_minutes: number;
  score: number;
}

/** A shared title counts as loved when rated 4 or more, or liked. */
const LOVED = (f: string) => `(${f}.liked OR ${f}.rating >= 4)`;

/**
 * Live rooms for the viewer, ranked in SQL (rankedRoomsSql): the cosine of the room's taste (the sum of
 * its present attendees' vectors, which ranks as their mean does) with the viewer's (0.55), the
 * viewer's accepted connections inside (0.2, saturating at 3), size (0.15, log-scaled to 50) and
 * freshness (0.1, halving every ~80 minutes), plus 0.1 for an invitation. Rooms the viewer may not
 * see (roomVisibleSql: private without an invitation, a block either way with the host or anyone
 * inside) never enter; nor do rooms of a host hidden from discovery, unless the viewer was invited.
 * The viewer's taste counts only with their `favorites` switch on.
 */
export async function suggestRooms(
  db: Db,
  viewerId: string,
  request: { limit: number; locale?: Locale; acceptLanguage: string | null },
): Promise<{ rooms: SuggestedRoom[] }> {
  const locale = await responseLocale(db, viewerId, request.locale, request.acceptLanguage);
  // Score every live room on the cheap terms first and check visibility on a shortlist only: the
  // checks (blocks against everyone inside, invitations, hidden hosts) cost far more per room than
  // the score. A shortlist that loses too many rooms to the checks falls back to checking all.
  const shortlist = Math.max(SHORTLIST, request.limit * 5);
  let ranked = await db.query<RankedRow & { shortlisted?: number }>(rankedRoomsSql(true), [
    viewerId,
    request.limit,
    shortlist,
  ]);
  // Only a full shortlist can have left visible rooms out (fewer live rooms: all were checked).
  if (ranked.length < request.limit && (ranked[0]?.shortlisted ?? shortlist) >= shortlist)
    ranked = await db.query<RankedRow>(rankedRoomsSql(false), [viewerId, request.limit]);
  const loved = await lovedTitles(
    db,
    viewerId,
    ranked.map((r) => r.id),
  );
  return {
    rooms: ranked.map((r) => ({
      id: r.id,
      title: r.title,
      tags: r.tags,
      attendees: r.attendees,
      score: Math.round(r.score * 1000) / 1000,
      reasons: roomReasons(r, loved.get(r.id)).map((reason) => renderRoomReason(reason, locale)),
    })),
  };
}

/** Rooms scored before the visibility checks, so they run on these few only. */
const SHORTLIST = 200;

/**
 * The ranking statement ($1 viewer, $2 limit): every live room scored (taste 0.55, connections
 * 0.2, size 0.15, freshness 0.1, invitation 0.1); with `shortlist`, only the $3 best are then
 * checked for visibility, otherwise all are.
 */
function rankedRoomsSql(shortlist: boolean): string {
  return `WITH v AS (
       SELECT discovery_excluded($1, false) AS excluded,
         (SELECT t.taste FROM user_taste_vectors t WHERE t.user_id = $1 AND NOT EXISTS (
            SELECT 1 FROM privacy_settings s WHERE s.user_id = $1 AND s.category = 'favorites' AND NOT s.enabled)) AS taste,
         (SELECT coalesce(array_agg(DISTINCT CASE WHEN f.user_id = $1 THEN f.target_user_id ELSE f.user_id END), '{}')
            FROM feedback f WHERE f.action = 'connect_accept' AND (f.user_id = $1 OR f.target_user_id = $1)) AS friends
     ),
     conn AS (
       SELECT a.room_id, count(*)::int AS n FROM v CROSS JOIN unnest(v.friends) AS fr(id)
       JOIN room_attendees a ON a.user_id = fr.id AND a.left_at IS NULL
       GROUP BY a.room_id
     ),
     invited AS (SELECT i.room_id FROM room_invitations i WHERE i.user_id = $1),
     scored AS (
       SELECT r.id, r.title, r.tags, r.host_id, r.visibility, rt.attendees, (inv.room_id IS NOT NULL) AS invited,
         greatest(coalesce(1 - (rt.taste_sum <=> v.taste), 0), 0)::float8 AS similarity,
         coalesce(c.n, 0) AS connections,
         (extract(epoch FROM now() - r.opened_at) / 60)::float8 AS age_minutes
       FROM rooms r JOIN room_tastes rt ON rt.room_id = r.id CROSS JOIN v
       LEFT JOIN conn c ON c.room_id = r.id LEFT JOIN invited inv ON inv.room_id = r.id
       WHERE r.closed_at IS NULL AND rt.attendees > 0
     ),
     ranked AS (
       SELECT *, (0.55 * similarity + 0.2 * least(connections, 3) / 3.0
         + 0.15 * least(ln(1 + attendees) / ln(51), 1) + 0.1 * exp(-age_minutes / 120)
         + CASE WHEN invited THEN 0.1 ELSE 0 END)::float8 AS score
       FROM scored ${shortlist ? "ORDER BY score DESC, id LIMIT $3" : ""}
     )
     SELECT s.id, s.title, s.tags, s.attendees, s.invited, s.similarity, s.connections, s.age_minutes, s.score,
       (SELECT count(*) FROM ranked)::int AS shortlisted
     FROM ranked s CROSS JOIN v
     WHERE ${roomVisibleSql("s", "$1::uuid", "v.excluded")}
       AND (s.invited OR s.host_id = $1 OR NOT EXISTS (SELECT 1 FROM discovery_hidden() h WHERE h.user_id = s.host_id))
     ORDER BY s.score DESC, s.id LIMIT $2`;
}

/** 1-2 reasons, the most specific first. */
function roomReasons(r: RankedRow, loved: { title: string; n: number } | undefined): RoomReason[] {
  const reasons: RoomReason[] = [];
  if (r.invited) reasons.push({ kind: "invited" });
  if (loved) reasons.push({ kind: "people_who_love", count: loved.n, title: loved.title });
  if (r.connections > 0) reasons.push({ kind: "connections_inside", count: r.connections });
  if (r.similarity >= 0.5) reasons.push({ kind: "similar_taste" });
  if (r.age_minutes < 30) reasons.push({ kind: "just_opened" });
  if (r.attendees >= 5) reasons.push({ kind: "lively", count: r.attendees });
  return reasons.slice(0, 2);
}

/**
 * Per room, the title the viewer loves that most people inside love too (favorites in use only;
 * people hidden from discovery or with favorites off are not counted).
 */
async function lovedTitles(
  db: Db,
  viewerId: string,
  roomIds: string[],
): Promise<Map<string, { title: string; n: number }>> {
  if (roomIds.length === 0) return new Map();
  const rows = await db.query<{ room_id: string; title: string; n: number }>(
    `SELECT DISTINCT ON (room_id) room_id, title, n FROM (
       SELECT a.room_id, m.title, count(DISTINCT a.user_id)::int AS n
       FROM room_attendees a
       JOIN favorite_items f ON f.user_id = a.user_id AND ${LOVED("f")} AND ${favoriteInUseSql("f")}
       JOIN favorite_items mine ON mine.user_id = $1 AND mine.media_id = f.media_id AND ${LOVED("mine")}
         AND ${favoriteInUseSql("mine")}
       JOIN canonical_media m ON m.id = f.media_id
       WHERE a.room_id = ANY ($2::uuid[]) AND a.left_at IS NULL AND a.user_id <> $1
         AND NOT EXISTS (SELECT 1 FROM discovery_hidden('favorites') h WHERE h.user_id = a.user_id)
       GROUP BY a.room_id, m.title
     ) x ORDER BY room_id, n DESC, title`,
    [viewerId, roomIds],
  );
  return new Map(rows.map((r) => [r.room_id, { title: r.title, n: r.n }]));
}
