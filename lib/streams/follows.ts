import type { Db, Queryable } from "../db/types";
import { HttpError } from "../http/errors";

export interface Followed {
  creatorId: string;
  displayName: string;
  followedAt: string;
}

/** Follows a creator (idempotent). Following yourself or an unknown account: 400 / 404. */
export async function follow(db: Db, userId: string, creatorId: string): Promise<{ creatorId: string }> {
  if (creatorId === userId) throw new HttpError(400, "invalid_input", "you cannot follow yourself", "creatorId");
  const rows = await db.query(
    `INSERT INTO follows (user_id, creator_id)
     SELECT $1, id FROM auth.users WHERE id = $2
     ON CONFLICT DO NOTHING RETURNING creator_id`,
    [userId, creatorId],
  );
  if (rows.length === 0) {
    const [known] = await db.query("SELECT 1 FROM auth.users WHERE id = $1", [creatorId]);
    if (!known) throw new HttpError(404, "not_found", "no such creator");
  }
  return { creatorId };
}

export async function unfollow(db: Db, userId: string, creatorId: string): Promise<{ creatorId: string }> {
  await db.query("DELETE FROM follows WHERE user_id = $1 AND creator_id = $2", [userId, creatorId]);
  return { creatorId };
}

/** Whom the caller follows, newest first. */
export async function listFollows(db: Queryable, userId: string): Promise<{ follows: Followed[] }> {
  const rows = await db.query<{ creator_id: string; display_name: string | null; created_at: Date | string }>(
    `SELECT f.creator_id, p.display_name, f.created_at FROM follows f
     LEFT JOIN profiles p ON p.user_id = f.creator_id
     WHERE f.user_id = $1 ORDER BY f.created_at DESC, f.creator_id`,
    [userId],
  );
  return {
    follows: rows.map((r) => ({
      creatorId: r.creator_id,
      displayName: r.display_name ?? "",
      followedAt: new Date(r.created_at).toISOString(),
    })),
  };
}
