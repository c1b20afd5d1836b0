import type { Queryable } from "../lib/db/types";
import { fromVectorColumn } from "../lib/db/vector";
import { unitVector } from "../lib/discovery/diversity";

/** Everything the baselines and the metrics read about the demo population, loaded once. */
export interface EvalDataset {
  userIds: string[];
  community: Map<string, string>;
  auditGroup: Map<string, string>;
  /** Unit taste vectors and profile embeddings (users without one are absent). */
  taste: Map<string, Float32Array>;
  profile: Map<string, Float32Array>;
  /**
   * Popularity: the summed popularity (number of users holding it) of a user's favorites, i.e.
   * how much of the crowd's taste they cover. The same ranking for every viewer.
   */
  popularity: Map<string, number>;
  /** Each user's distinct favorite titles (media ids), for the shared-favorites baseline. */
  favorites: Map<string, string[]>;
}

export async function loadDataset(db: Queryable): Promise<EvalDataset> {
  const rows = await db.query<{
    id: string;
    community: string | null;
    audit_group: string | null;
    taste: string | null;
    profile: string | null;
    popularity: number;
  }>(
    `WITH title_pop AS (SELECT media_id, count(DISTINCT user_id)::int AS n FROM favorite_items GROUP BY media_id),
     user_pop AS (
       SELECT f.user_id, sum(tp.n)::float8 AS popularity
       FROM (SELECT DISTINCT user_id, media_id FROM favorite_items) f JOIN title_pop tp USING (media_id)
       GROUP BY f.user_id)
     SELECT p.user_id::text AS id, u.raw_user_meta_data ->> 'demo_community' AS community, fa.audit_group,
            t.taste::text AS taste, e.embedding::text AS profile, coalesce(up.popularity, 0) AS popularity
     FROM profiles p JOIN auth.users u ON u.id = p.user_id
     LEFT JOIN fairness_audit_attributes fa ON fa.user_id = p.user_id
     LEFT JOIN user_taste_vectors t ON t.user_id = p.user_id
     LEFT JOIN user_embeddings e ON e.user_id = p.user_id
     LEFT JOIN user_pop up ON up.user_id = p.user_id
     WHERE p.is_demo
     ORDER BY p.user_id`,
  );
  const data: EvalDataset = {
    userIds: [],
    community: new Map(),
    auditGroup: new Map(),
    taste: new Map(),
    profile: new Map(),
    popularity: new Map(),
    favorites: new Map(),
  };
  for (const r of rows) {
    data.userIds.push(r.id);
    if (r.community) data.community.set(r.id, r.community);
    if (r.audit_group) data.auditGroup.set(r.id, r.audit_group);
    if (r.taste) data.taste.set(r.id, unitVector(fromVectorColumn(r.taste)));
    if (r.profile) data.profile.set(r.id, unitVector(fromVectorColumn(r.profile)));
    data.popularity.set(r.id, Number(r.popularity));
  }
  const favorites = await db.query<{ user_id: string; media_id: string }>(
    `SELECT DISTINCT f.user_id::text AS user_id, f.media_id::text AS media_id
     FROM favorite_items f JOIN profiles p ON p.user_id = f.user_id
     WHERE p.is_demo ORDER BY 1, 2`,
  );
  for (const r of favorites) {
    const list = data.favorites.get(r.user_id);
    if (list) list.push(r.media_id);
    else data.favorites.set(r.user_id, [r.media_id]);
  }
  return data;
}
