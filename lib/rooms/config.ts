/** How recently someone must have been seen (an event stored, a room joined) to be invited: MESH_ROOMS_ACTIVE_MINUTES, default 15. */
export function activeWindowMs(): number {
  const n = Number(process.env.MESH_ROOMS_ACTIVE_MINUTES ?? 15);
  if (!Number.isFinite(n) || n <= 0) throw new Error("MESH_ROOMS_ACTIVE_MINUTES must be a number > 0");
  return n * 60_000;
}

/**
 * Whether people to invite come from this process's index of active people (MESH_ROOMS_INVITE_INDEX
 * on/off). Off by default on Vercel, where instances are short-lived and each would load the
 * index only to be discarded: there pgvector answers every request.
 */
export function inviteIndexEnabled(): boolean {
  const v = process.env.MESH_ROOMS_INVITE_INDEX;
  if (v === "on") return true;
  if (v === "off") return false;
  return !process.env.VERCEL;
}

/** The spec's threshold: people whose taste has cosine above this with the room's. */
export const MIN_INVITE_COSINE = 0.7;
