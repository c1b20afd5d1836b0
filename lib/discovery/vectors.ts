import type { Queryable } from "../db/types";
import { fromVectorColumn } from "../db/vector";
import { unitVector, type DiversityVectors } from "./diversity";

/**
 * The vectors MMR compares candidates by, for the pool only (a candidate's taste vector only when
 * their favorites signal is on, the profile embedding only when interests are on).
 */
export async function loadDiversityVectors(db: Queryable, userIds: string[]): Promise<Map<string, DiversityVectors>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; taste: string | null; profile: string | null }>(
    `SELECT u.id,
       CASE WHEN NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = u.id AND s.category = 'favorites'
                             AND NOT s.enabled) THEN t.taste::text END AS taste,
       CASE WHEN NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = u.id AND s.category = 'interests'
                             AND NOT s.enabled) THEN e.embedding::text END AS profile
     FROM unnest($1::uuid[]) AS u(id)
     LEFT JOIN user_taste_vectors t ON t.user_id = u.id
     LEFT JOIN user_embeddings e ON e.user_id = u.id`,
    [userIds],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        taste: r.taste ? unitVector(fromVectorColumn(r.taste)) : null,
        profile: r.profile ? unitVector(fromVectorColumn(r.profile)) : null,
      },
    ]),
  );
}
