/**
 * Roles a person can hold beyond being signed in. They travel in the access token as
 * `app_metadata.mesh_roles` (Supabase's app_metadata: only the service role can write it, unlike
 * user_metadata, which the person may edit), so a role is honoured only from a verified token.
 * Kept free of imports: the HTTP contract (api/) names them too.
 */
export const roles = ["moderator", "staff"] as const;
export type Role = (typeof roles)[number];

/** The claim under `app_metadata` that lists a person's roles. */
export const ROLES_CLAIM = "mesh_roles";

/** The known roles a verified token's claims grant; unknown names and malformed claims grant none. */
export function rolesFromClaims(claims: Record<string, unknown>): Role[] {
  const appMetadata = claims.app_metadata;
  if (!appMetadata || typeof appMetadata !== "object") return [];
  const listed = (appMetadata as Record<string, unknown>)[ROLES_CLAIM];
  if (!Array.isArray(listed)) return [];
  return roles.filter((role) => listed.includes(role));
}
