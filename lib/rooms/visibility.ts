/** Who may see a room: everyone (public), or only its host, invitees and the people inside (private). */
export const roomVisibilities = ["public", "private"] as const;
export type RoomVisibility = (typeof roomVisibilities)[number];
