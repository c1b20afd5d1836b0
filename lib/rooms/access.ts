/**
 * Who may see a room, as SQL conditions on a rooms alias `r`, for the viewer `viewer` (an SQL
 * expression such as `$1`) whose exclusions `excluded` are discovery_excluded(viewer, false): the
 * same rule discovery uses for blocks either way (the viewer's own id is in it too, hence the
 * exceptions for the viewer). One rule for the room page, join, invitations and the rooms list.
 *
 * - public, or the viewer hosts it, was invited or is inside;
 * - neither the host nor anyone inside blocked the viewer or was blocked by them.
 */
export function roomVisibleSql(r: string, viewer: string, excluded: string): string {
  return `(${r}.visibility = 'public' OR ${r}.host_id = ${viewer}
      OR EXISTS (SELECT 1 FROM room_invitations i WHERE i.room_id = ${r}.id AND i.user_id = ${viewer})
      OR EXISTS (SELECT 1 FROM room_attendees me WHERE me.room_id = ${r}.id AND me.user_id = ${viewer} AND me.left_at IS NULL))
    AND (${r}.host_id = ${viewer} OR ${r}.host_id <> ALL (${excluded}))
    AND NOT EXISTS (SELECT 1 FROM room_attendees x WHERE x.room_id = ${r}.id AND x.left_at IS NULL
      AND x.user_id <> ${viewer} AND x.user_id = ANY (${excluded}))`;
}

/** The viewer's exclusions (self and blocks either way), for roomVisibleSql. */
export const roomExclusionsSql = (viewer: string) => `discovery_excluded(${viewer}, false)`;
