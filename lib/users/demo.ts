import type { Queryable } from "../db/types";

/** A seeded demo user who has favorites, for `npm run token -- --demo` and smoke tests. */
export async function findDemoUser(db: Queryable): Promise<string | null> {
  const rows = await db.query<{ user_id: string }>(
    `SELECT p.user_id FROM profiles p
     WHERE p.is_demo AND EXISTS (SELECT 1 FROM favorite_items f WHERE f.user_id = p.user_id)
     ORDER BY p.created_at, p.user_id LIMIT 1`,
  );
  return rows[0]?.user_id ?? null;
}
