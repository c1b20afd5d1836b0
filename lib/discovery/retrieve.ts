import type { Queryable } from "../db/types";
import { toVectorParam } from "../db/vector";
import { readTraits } from "./traits";
import type { RawCandidate, Source, ViewerContext } from "./types";

interface CandidateRow {
  id: string;
  sources: string[];
  display_name: string;
  taste_sim: number | null;
  profile_sim: number | null;
  shared_count: number;
  shared_titles: string[] | null;
  traits: unknown;
  hobbies: string[];
  communities: string[];
  lat: number | null;
  lon: number | null;
  mutual: number;
  recent: number;
  received: number;
  accepted: number;
  reports: number;
  harassment: number | null;
  audit_group: string | null;
}

/**
 * Where candidate ids come from, as SQL producing (candidate_id, found_by): $1 viewer, $2 taste,
 * $3 embedding, $4 viewer's favorites on, then the source's own parameters from $5.
 */
export type CandidateSource =
  | { kind: "ann"; tasteK: number; profileK: number }
  | { kind: "fallback"; k: number }
  | { kind: "target"; targetId: string };

function sourceSql(source: CandidateSource, viewer: ViewerContext): { sql: string; params: unknown[] } {
  switch (source.kind) {
    case "ann":
      return {
        sql: "SELECT candidate_id, found_by FROM discovery_ann($1, $2::vector, $3::vector, $5::int, $6::int)",
        params: [source.tasteK, source.profileK],
      };
    case "fallback":
      return {
        sql: "SELECT candidate_id, found_by FROM discovery_popular_nearby($1, $5::float8, $6::float8, $7::int)",
        params: [viewer.lat, viewer.lon, source.k],
      };
    case "target":
      // One named person (the why endpoint): eligible unless self, blocked either way or not
      // discoverable. Source privacy does not remove them here; it only zeroes what they hid.
      return {
        sql: `SELECT p.user_id AS candidate_id, 'direct'::text AS found_by FROM profiles p
              WHERE p.user_id = $5::uuid AND p.user_id <> $1 AND p.discoverable
                AND NOT EXISTS (SELECT 1 FROM privacy_settings s WHERE s.user_id = p.user_id
                                  AND s.category = 'discoverable' AND NOT s.enabled)
                AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $1 AND b.blocked_id = p.user_id)
                                  OR (b.blocker_id = p.user_id AND b.blocked_id = $1))`,
        params: [source.targetId],
      };
  }
}

/**
 * Candidates with every raw fact the features need, in one statement: the source's ids, then per
 * candidate the similarities, shared favorites (count and the best-rated shared titles), traits,
 * hobbies, mutual connections (connect_accept graph), recent activity, acceptance history,
 * reports, harassment score and audit group. What a candidate switched off is returned empty:
 * favorites off hides taste, shared favorites and traits; interests off hides the profile
 * similarity, hobbies and communities; location off hides coordinates; behaviour off hides
 * activity and acceptance history.
 */
export async function retrieveCandidates(
  db: Queryable,
  viewer: ViewerContext,
  source: CandidateSource,
): Promise<RawCandidate[]> {
  const src = sourceSql(source, viewer);
  const rows = await db.query<CandidateRow>(
    `WITH c AS (
       SELECT candidate_id AS id, array_agg(DISTINCT found_by) AS sources FROM (${src.sql}) s GROUP BY candidate_id
     ),
     vf AS (
       SELECT media_id, max(coalesce(rating, 3) + CASE WHEN liked THEN 1 ELSE 0 END) AS r
       FROM favorite_items WHERE user_id = $1 AND $4::boolean GROUP BY media_id
     ),
     vconn AS (
       SELECT target_user_id AS id FROM feedback WHERE user_id = $1 AND action = 'connect_accept' AND target_user_id IS NOT NULL
       UNION SELECT user_id FROM feedback WHERE target_user_id = $1 AND action = 'connect_accept'
     ),
     fof AS (
       SELECT other, count(DISTINCT friend)::int AS n FROM (
         SELECT f.target_user_id AS other, f.user_id AS friend FROM feedback f JOIN vconn ON f.user_id = vconn.id
           WHERE f.action = 'connect_accept'
         UNION ALL
         SELECT f.user_id, f.target_user_id FROM feedback f JOIN vconn ON f.target_user_id = vconn.id
           WHERE f.action = 'connect_accept'
       ) x WHERE other IN (SELECT id FROM c) GROUP BY other
     )
     SELECT c.id, c.sources, p.display_name,
       CASE WHEN $2::vector IS NULL OR NOT ps.favorites THEN NULL ELSE 1 - (t.taste <=> $2::vector) END AS taste_sim,
       CASE WHEN $3::vector IS NULL OR NOT ps.interests THEN NULL ELSE 1 - (e.embedding <=> $3::vector) END AS profile_sim,
       CASE WHEN ps.favorites THEN sf.n ELSE 0 END AS shared_count,
       CASE WHEN ps.favorites THEN sf.titles END AS shared_titles,
       CASE WHEN ps.favorites THEN ut.traits END AS traits,
       CASE WHEN ps.interests THEN p.hobbies ELSE '{}' END AS hobbies,
       CASE WHEN ps.interests THEN p.communities ELSE '{}' END AS communities,
       CASE WHEN ps.location THEN p.lat END AS lat,
       CASE WHEN ps.location THEN p.lon END AS lon,
       coalesce(fof.n, 0) AS mutual,
       CASE WHEN ps.behaviour THEN act.n ELSE 0 END AS recent,
       CASE WHEN ps.behaviour THEN acc.received ELSE 0 END AS received,
       CASE WHEN ps.behaviour THEN acc.accepted ELSE 0 END AS accepted,
       rep.n AS reports, ss.harassment_score AS harassment, fa.audit_group
     FROM c
     JOIN profiles p ON p.user_id = c.id
     CROSS JOIN LATERAL (
       SELECT coalesce(bool_and(enabled) FILTER (WHERE category = 'favorites'), true) AS favorites,
              coalesce(bool_and(enabled) FILTER (WHERE category = 'interests'), true) AS interests,
              coalesce(bool_and(enabled) FILTER (WHERE category = 'location'), true) AS location,
              coalesce(bool_and(enabled) FILTER (WHERE category = 'behaviour'), true) AS behaviour
       FROM privacy_settings WHERE user_id = c.id
     ) ps
     LEFT JOIN user_taste_vectors t ON t.user_id = c.id
     LEFT JOIN user_embeddings e ON e.user_id = c.id
     LEFT JOIN user_traits ut ON ut.user_id = c.id
     LEFT JOIN fof ON fof.other = c.id
     LEFT JOIN safety_scores ss ON ss.user_id = c.id
     LEFT JOIN fairness_audit_attributes fa ON fa.user_id = c.id
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS n, (array_agg(title ORDER BY r DESC, title))[1:3] AS titles FROM (
         SELECT m.title, max(vf.r + coalesce(f2.rating, 3) + CASE WHEN f2.liked THEN 1 ELSE 0 END) AS r
         FROM vf JOIN favorite_items f2 ON f2.user_id = c.id AND f2.media_id = vf.media_id
         JOIN canonical_media m ON m.id = vf.media_id
         GROUP BY m.id, m.title
       ) s
     ) sf
     CROSS JOIN LATERAL (
       SELECT (SELECT count(*) FROM (SELECT 1 FROM events WHERE user_id = c.id
                 AND created_at > now() - interval '14 days' LIMIT 20) a)::int
            + (SELECT count(*) FROM (SELECT 1 FROM feedback WHERE user_id = c.id
                 AND created_at > now() - interval '14 days' LIMIT 20) b)::int AS n
     ) act
     CROSS JOIN LATERAL (
       SELECT (SELECT count(*) FROM (SELECT 1 FROM feedback WHERE target_user_id = c.id
                 AND action IN ('connect', 'connect_request') LIMIT 200) a)::int AS received,
              (SELECT count(*) FROM (SELECT 1 FROM feedback WHERE user_id = c.id
                 AND action = 'connect_accept' LIMIT 200) b)::int AS accepted
     ) acc
     CROSS JOIN LATERAL (SELECT count(DISTINCT reporter_id)::int AS n FROM reports WHERE target_id = c.id) rep`,
    [
      viewer.userId,
      viewer.taste ? toVectorParam(viewer.taste) : null,
      viewer.embedding ? toVectorParam(viewer.embedding) : null,
      viewer.permissions.favorites,
      ...src.params,
    ] as never[],
  );
  return rows.map(toRawCandidate);
}

function toRawCandidate(r: CandidateRow): RawCandidate {
  return {
    userId: r.id,
    displayName: r.display_name,
    sources: r.sources as Source[],
    tasteSimilarity: r.taste_sim === null ? null : Number(r.taste_sim),
    profileSimilarity: r.profile_sim === null ? null : Number(r.profile_sim),
    sharedFavoritesCount: Number(r.shared_count),
    bestSharedTitle: r.shared_titles?.[0] ?? null,
    sharedTitles: r.shared_titles ?? [],
    traits: readTraits(r.traits),
    hobbies: r.hobbies ?? [],
    communities: r.communities ?? [],
    lat: r.lat === null ? null : Number(r.lat),
    lon: r.lon === null ? null : Number(r.lon),
    mutualConnections: Number(r.mutual),
    recentActivity: Number(r.recent),
    requestsReceived: Number(r.received),
    requestsAccepted: Number(r.accepted),
    reportCount: Number(r.reports),
    harassmentScore: r.harassment === null ? null : Number(r.harassment),
    auditGroup: r.audit_group,
  };
}
