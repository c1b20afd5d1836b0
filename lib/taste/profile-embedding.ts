import type { Queryable } from "../db/types";
import { favoriteInUseSql } from "../favorites/in-use";
import { toVectorParam } from "../db/vector";
import { embedTokens, type WeightedToken } from "../embeddings/hashed-directions";

/**
 * Profile embeddings (the user tower of a two-tower model, FR-03), honestly described: a bag of
 * hashed features (hobbies, communities, a coarse location cell, locale, bucketed behaviour
 * aggregates), each multiplied by a fixed random projection to 256-d (equivalently: each feature
 * hashed to a fixed pseudo-random unit direction), weighted, summed and L2-normalised. Nothing is
 * learned yet; people who share hobbies and communities share directions and so are close.
 */
export const PROFILE_DIMS = 256;
export const PROFILE_MODEL_VERSION = "profile-hashed-v1";
const NAMESPACE = "profile-v1";

export const PROFILE_WEIGHTS = {
  hobbies: 1.0,
  communities: 1.2,
  region: 0.5,
  locale: 0.3,
  mediaMix: 0.4,
  activity: 0.2,
} as const;

/** Location cells are 2 degrees (~200 km): a metro area, never a street. */
const REGION_CELL_DEGREES = 2;

export interface ProfileFeatures {
  hobbies: string[];
  communities: string[];
  lat: number | null;
  lon: number | null;
  locale: string;
  /** Favorites in use (favoriteInUseSql) per media type (film, book, music). */
  mediaMix: Record<string, number>;
  /** Behavioural signals (events + feedback) in the last 30 days; privacy switch records are not. */
  recentActivity: number;
  /** Privacy categories switched off by the user. */
  disabled: Set<string>;
}

function norm(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, " ");
}

function spread(kind: string, values: string[], total: number): WeightedToken[] {
  const unique = [...new Set(values.map(norm).filter(Boolean))];
  return unique.map((v) => ({ token: `${kind}:${v}`, weight: total / Math.sqrt(unique.length) }));
}

/** The weighted features of one profile, honouring its privacy switches. */
export function profileTokens(p: ProfileFeatures): WeightedToken[] {
  const tokens: WeightedToken[] = [];
  if (!p.disabled.has("interests")) {
    tokens.push(...spread("hobby", p.hobbies, PROFILE_WEIGHTS.hobbies));
    tokens.push(...spread("community", p.communities, PROFILE_WEIGHTS.communities));
  }
  if (!p.disabled.has("location") && p.lat !== null && p.lon !== null) {
    const cell = `${Math.floor(p.lat / REGION_CELL_DEGREES)},${Math.floor(p.lon / REGION_CELL_DEGREES)}`;
    tokens.push({ token: `region:${cell}`, weight: PROFILE_WEIGHTS.region });
  }
  if (!p.disabled.has("favorites")) {
    const total = Object.values(p.mediaMix).reduce((a, b) => a + b, 0);
    for (const [type, n] of Object.entries(p.mediaMix)) {
      if (total > 0) tokens.push({ token: `mix:${type}`, weight: (PROFILE_WEIGHTS.mediaMix * n) / total });
    }
  }
  if (!p.disabled.has("behaviour") && p.recentActivity > 0) {
    // log2 buckets: 1, 2-3, 4-7, ... so "very active" people share a feature without exact counts.
    tokens.push({ token: `activity:${Math.floor(Math.log2(p.recentActivity))}`, weight: PROFILE_WEIGHTS.activity });
  }
  // Locale alone says too little to place someone; it only refines a profile that has content.
  if (tokens.length) tokens.push({ token: `locale:${p.locale}`, weight: PROFILE_WEIGHTS.locale });
  return tokens;
}

export function profileEmbedding(p: ProfileFeatures): number[] | null {
  return embedTokens(profileTokens(p), PROFILE_DIMS, NAMESPACE);
}

interface ProfileRow {
  user_id: string;
  hobbies: string[];
  communities: string[];
  lat: number | null;
  lon: number | null;
  locale: string;
  media_mix: Record<string, number>;
  recent_activity: number;
  disabled: string[];
}

/** Recomputes the profile embeddings of the given users; those with nothing to embed get none. */
export async function computeProfileEmbeddings(
  db: Queryable,
  userIds: string[],
): Promise<{ written: number; cleared: number }> {
  if (!userIds.length) return { written: 0, cleared: 0 };
  const rows = await db.query<ProfileRow>(
    `SELECT p.user_id::text AS user_id, p.hobbies, p.communities, p.lat, p.lon, p.locale,
       coalesce((SELECT jsonb_object_agg(media_type, n) FROM (
          SELECT m.media_type, count(*)::int AS n FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id
          WHERE f.user_id = p.user_id AND ${favoriteInUseSql("f")} GROUP BY m.media_type) mix), '{}'::jsonb) AS media_mix,
       (SELECT count(*)::int FROM events e WHERE e.user_id = p.user_id AND e.created_at > now() - interval '30 days'
          AND behavioural_event(e.kind))
         + (SELECT count(*)::int FROM feedback b WHERE b.user_id = p.user_id AND b.created_at > now() - interval '30 days')
         AS recent_activity,
       ARRAY(SELECT category FROM privacy_settings s WHERE s.user_id = p.user_id AND NOT s.enabled) AS disabled
     FROM profiles p WHERE p.user_id = ANY($1::uuid[])`,
    [userIds],
  );
  const ids: string[] = [];
  const vectors: string[] = [];
  for (const r of rows) {
    const v = profileEmbedding({
      hobbies: r.hobbies ?? [],
      communities: r.communities ?? [],
      lat: r.lat,
      lon: r.lon,
      locale: r.locale,
      mediaMix: r.media_mix ?? {},
      recentActivity: r.recent_activity,
      disabled: new Set(r.disabled ?? []),
    });
    if (!v) continue;
    ids.push(r.user_id);
    vectors.push(toVectorParam(v));
  }
  if (ids.length) {
    await db.query(
      `INSERT INTO user_embeddings (user_id, embedding, model_version, computed_at)
       SELECT user_id, embedding::vector, $3, now() FROM unnest($1::uuid[], $2::text[]) AS t(user_id, embedding)
       ON CONFLICT (user_id) DO UPDATE
         SET embedding = EXCLUDED.embedding, model_version = EXCLUDED.model_version, computed_at = EXCLUDED.computed_at`,
      [ids, vectors, PROFILE_MODEL_VERSION],
    );
  }
  const kept = new Set(ids);
  const cleared = userIds.filter((id) => !kept.has(id));
  if (cleared.length) await db.query(`DELETE FROM user_embeddings WHERE user_id = ANY($1::uuid[])`, [cleared]);
  return { written: ids.length, cleared: cleared.length };
}
