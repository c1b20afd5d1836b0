import type { Queryable } from "../db/types";
import { toVectorParam } from "../db/vector";
import { candidateFactsCtes } from "./candidate-facts-sql";
import { storedDescriptors } from "../traits/schema";
import type { RawCandidate, Source, ViewerContext } from "./types";

interface CandidateRow {
  id: string;
  sources: string[];
  display_name: string;
  taste_sim: number | null;
  profile_sim: number | null;
  shared_count: number;
  shared_media: string[] | null;
  traits: unknown;
  hobbies: string[];
  communities: string[];
  goals: string[];
  lat: number | null;
  lon: number | null;
  mutual: number;
  recent: number;
  received: number;
  accepted: number;
  attention_n: number;
  attention_dwell: number;
  reports: number;
  harassment: number | null;
  audit_group: string | null;
}

/**
 * Where candidate ids come from, as SQL producing (candidate_id, found_by, distance: the cosine
 * distance an ANN scan found them at, else null): $1 viewer, $2 taste,
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
        sql: "SELECT candidate_id, found_by, distance FROM discovery_ann($1, $2::vector, $3::vector, $5::int, $6::int)",
        params: [source.tasteK, source.profileK],
      };
    case "fallback":
      return {
        sql: "SELECT candidate_id, found_by, NULL::float8 AS distance FROM discovery_popular_nearby($1, $5::float8, $6::float8, $7::int)",
        params: [viewer.lat, viewer.lon, source.k],
      };
    case "target":
      // One named person the viewer already knows of (the why endpoint, training on past
      // feedback): the shared exclusion rule without its "already acted on" part, so self, blocks
      // either way and hidden people are out. Source privacy does not remove them here; it only
      // zeroes what they hid.
      return {
        sql: `SELECT p.user_id AS candidate_id, 'direct'::text AS found_by, NULL::float8 AS distance FROM profiles p
              WHERE p.user_id = $5::uuid AND p.user_id <> ALL (discovery_excluded($1, false))
                AND NOT EXISTS (SELECT 1 FROM discovery_hidden() h WHERE h.user_id = p.user_id)`,
        params: [source.targetId],
      };
  }
}

/**
 * Candidates with every raw fact the features need, in one statement: the source's ids, then per
 * candidate the similarities, shared favorites (count and media ids; the titles to show are read
 * for the shown candidates only, by loadSharedTitles), traits,
 * hobbies, mutual connections (connect_accept graph), recent activity, acceptance history,
 * reports, harassment score and audit group. What a candidate switched off is returned empty:
 * favorites off hides taste, shared favorites and traits; interests off hides the profile
 * similarity, hobbies, communities and goals; location off hides coordinates; behaviour off hides
 * activity and acceptance history. `options` overrides the shared-favorites strategy's threshold
 * (tests run both strategies on one small dataset).
 */
export async function retrieveCandidates(
  db: Queryable,
  viewer: ViewerContext,
  source: CandidateSource,
  options: { sharedFavoritesLateralAboveRows?: number } = {},
): Promise<RawCandidate[]> {
  const src = sourceSql(source, viewer);
  const rows = await db.query<CandidateRow>(
    `WITH c AS MATERIALIZED (
       SELECT candidate_id AS id, array_agg(DISTINCT found_by) AS sources,
              min(distance) FILTER (WHERE found_by = 'taste') AS taste_d,
              min(distance) FILTER (WHERE found_by = 'profile') AS profile_d
       FROM (${src.sql}) s GROUP BY candidate_id
     ),
     ${candidateFactsCtes(options.sharedFavoritesLateralAboveRows)}
     SELECT f.id, f.sources, p.display_name,
       -- A similarity the ANN scan already computed is reused; the other vector is read only
       -- for the candidates the other scan did not find (the subqueries run only when reached).
       CASE WHEN $2::vector IS NULL OR NOT f.favorites THEN NULL
            WHEN f.taste_d IS NOT NULL THEN 1 - f.taste_d
            ELSE (SELECT 1 - (t.taste <=> $2::vector) FROM user_taste_vectors t WHERE t.user_id = f.id) END AS taste_sim,
       CASE WHEN $3::vector IS NULL OR NOT f.interests THEN NULL
            WHEN f.profile_d IS NOT NULL THEN 1 - f.profile_d
            ELSE (SELECT 1 - (e.embedding <=> $3::vector) FROM user_embeddings e WHERE e.user_id = f.id) END AS profile_sim,
       CASE WHEN f.favorites THEN coalesce(f.shared_n, 0) ELSE 0 END AS shared_count,
       CASE WHEN f.favorites THEN f.shared_media END AS shared_media,
       CASE WHEN f.favorites THEN ut.traits END AS traits,
       CASE WHEN f.interests THEN p.hobbies ELSE '{}' END AS hobbies,
       CASE WHEN f.interests THEN p.communities ELSE '{}' END AS communities,
       CASE WHEN f.interests THEN p.goals ELSE '{}' END AS goals,
       CASE WHEN f.location THEN p.lat END AS lat,
       CASE WHEN f.location THEN p.lon END AS lon,
       coalesce(f.mutual, 0) AS mutual,
       CASE WHEN f.behaviour THEN coalesce(f.events, 0) + coalesce(f.feedback_recent, 0) ELSE 0 END AS recent,
       CASE WHEN f.behaviour THEN coalesce(f.received, 0) ELSE 0 END AS received,
       CASE WHEN f.behaviour THEN coalesce(f.accepted, 0) ELSE 0 END AS accepted,
       coalesce(f.attention_n, 0) AS attention_n, coalesce(f.attention_dwell, 0) AS attention_dwell,
       coalesce(f.reports, 0) AS reports, ss.harassment_score AS harassment, fa.audit_group
     FROM facts f
     JOIN profiles p ON p.user_id = f.id
     LEFT JOIN user_traits ut ON ut.user_id = f.id
     LEFT JOIN safety_scores ss ON ss.user_id = f.id
     LEFT JOIN fairness_audit_attributes fa ON fa.user_id = f.id`,
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
    sharedMediaIds: r.shared_media ?? [],
    // Named later, for the candidates a slate shows (shared-titles.ts).
    bestSharedTitle: null,
    sharedTitles: [],
    traits: storedDescriptors(r.traits),
    hobbies: r.hobbies ?? [],
    communities: r.communities ?? [],
    goals: r.goals ?? [],
    lat: r.lat === null ? null : Number(r.lat),
    lon: r.lon === null ? null : Number(r.lon),
    mutualConnections: Number(r.mutual),
    recentActivity: Number(r.recent),
    requestsReceived: Number(r.received),
    requestsAccepted: Number(r.accepted),
    viewerAttention: { actions: Number(r.attention_n), dwellMs: Number(r.attention_dwell) },
    reportCount: Number(r.reports),
    harassmentScore: r.harassment === null ? null : Number(r.harassment),
    auditGroup: r.audit_group,
  };
}
