import type { Queryable } from "../db/types";

/**
 * Creates an auth user (the profile follows from the on_auth_user_created trigger). In production
 * Supabase Auth creates users; this is for the embedded mode, demo data, scripts and tests.
 */
export async function createUser(
  db: Queryable,
  options: { email?: string; displayName?: string } = {},
): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO auth.users (email, raw_user_meta_data) VALUES ($1, jsonb_build_object('display_name', $2::text))
     RETURNING id`,
    [options.email ?? null, options.displayName ?? ""],
  );
  return rows[0].id;
}
