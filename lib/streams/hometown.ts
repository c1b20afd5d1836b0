import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { activeHometownModel } from "./hometown-learned";
import { scoreStream, type Viewer } from "./hometown-score";
import { getStreamPreferences } from "./preferences";

/** Candidates per source: nearest live streams, best in the viewer's language, best per liked category. */
export const HOMETOWN_POOL = 200;

export interface HometownStream {
  stream_id: string;
  creator_id: string;
  title: string;
  category: string;
  language: string;
  city: string;
  viewer_count: number;
  score: number;
  /** Null when the viewer's location is not used. */
  distance_km: number | null;
  reasons: string[];
}

interface ViewerRow {
  lat: number | null;
  lon: number | null;
  locale: string;
  location_on: boolean;
}

/** A live stream's columns as the candidate statements select them. */
export interface StreamRow {
  id: string;
  creator_id: string;
  title: string;
  category: string;
  language: string;
  city: string;
  quality_score: number;
  viewer_count: number;
}

interface CandidateRow extends StreamRow {
  distance_km: number | null;
}

const COLUMNS = `s.id, s.creator_id, s.title, s.category, s.language, s.city, s.lat, s.lon, s.quality_score, s.viewer_count`;
/** Neither blocked the other: a creator someone blocked is never suggested to them, nor the reverse. */
export const NO_BLOCK = `NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $1 AND b.blocked_id = s.creator_id)
                                              OR (b.blocker_id = s.creator_id AND b.blocked_id = $1))`;

const LIVE = `s.ended_at IS NULL AND ($2::boolean OR NOT s.mature)`;

/**
 * Candidates of a located viewer ($1 viewer, $2 mature allowed, $3 pool, $4 language, $5/$6 lat/lon,
 * $7 preferred categories): the nearest live streams (GiST KNN), the best in the nearest stream
 * city (its streams share one point, so the KNN walk alone would pick among them arbitrarily), the
 * best in the language and in the language and each preferred category (B-tree), each with its
 * distance. Exported for the EXPLAIN test.
 */
export const NEARBY_SQL = `WITH cand AS (
    (SELECT ${COLUMNS} FROM streams s WHERE ${LIVE}
     ORDER BY ll_to_earth(s.lat, s.lon) <-> ll_to_earth($5::float8, $6::float8) LIMIT $3)
    UNION
    (SELECT ${COLUMNS} FROM streams s WHERE ${LIVE} AND s.language = $4 ORDER BY s.quality_score DESC LIMIT $3)
    UNION
    (SELECT ${COLUMNS} FROM streams s WHERE ${LIVE} AND s.city = (
       SELECT n.city FROM streams n WHERE n.ended_at IS NULL
       ORDER BY ll_to_earth(n.lat, n.lon) <-> ll_to_earth($5::float8, $6::float8) LIMIT 1)
     ORDER BY s.quality_score DESC LIMIT $3)
    UNION
    SELECT c.* FROM unnest($7::text[]) AS wanted(category), LATERAL (
      SELECT ${COLUMNS} FROM streams s WHERE ${LIVE} AND s.language = $4 AND s.category = wanted.category
      ORDER BY s.quality_score DESC LIMIT $3) c)
  SELECT s.*, earth_distance(ll_to_earth(s.lat, s.lon), ll_to_earth($5::float8, $6::float8)) / 1000 AS distance_km
  FROM cand s WHERE ${NO_BLOCK}`;

/** Candidates when no location is used: the most watched live streams in the viewer's language. */
const POPULAR_SQL = `WITH cand AS (
    SELECT ${COLUMNS} FROM streams s WHERE ${LIVE} AND s.language = $4 ORDER BY s.viewer_count DESC LIMIT $3)
  SELECT s.*, NULL::float8 AS distance_km FROM cand s WHERE ${NO_BLOCK}`;

/**
 * Live streams near the viewer, for POST /v1/scenarios/hometown. Candidates come from indexes only
 * (never a scan of every stream): the nearest live streams by the GiST index on ll_to_earth; by
 * B-tree the best live streams in the nearest stream city, in the viewer's language, and in that
 * language and each preferred category; then every candidate is scored
 * (lib/streams/hometown-score.ts). With `location` off, or no location on the profile, no position
 * is read at all: the most watched live streams in the viewer's language, scored by the base
 * terms, each reason saying so. Mature streams only for viewers who allowed them. The learned term
 * joins when the stream-feeds batch has trained a model (lib/streams/hometown-learned.ts).
 */
export async function hometown(
  db: Db,
  viewerId: string,
  userId: string,
  maxResults: number,
): Promise<{ streams: HometownStream[] }> {
  // The seed's contract names the user in the body: it must be the token's subject.
  if (userId !== viewerId) throw new HttpError(403, "forbidden", "user_id must be the token's subject");
  const [row] = await db.query<ViewerRow>(
    `SELECT p.lat, p.lon, p.locale,
            NOT EXISTS (SELECT 1 FROM privacy_settings ps WHERE ps.user_id = p.user_id
                        AND ps.category = 'location' AND NOT ps.enabled) AS location_on
     FROM profiles p WHERE p.user_id = $1`,
    [viewerId],
  );
  if (!row) throw new HttpError(404, "not_found", "no profile for this account");
  const prefs = await getStreamPreferences(db, viewerId);
  const located = row.location_on && row.lat !== null && row.lon !== null;
  const viewer: Viewer = {
    language: row.locale,
    categories: prefs.categories,
    localStrength: prefs.localStrength,
    fallback: located ? null : row.location_on ? "no_location" : "location_off",
  };
  const candidates = located
    ? await db.query<CandidateRow>(NEARBY_SQL, [
        viewerId,
        prefs.matureAllowed,
        HOMETOWN_POOL,
        row.locale,
        row.lat,
        row.lon,
        prefs.categories,
      ])
    : await db.query<CandidateRow>(POPULAR_SQL, [viewerId, prefs.matureAllowed, HOMETOWN_POOL, row.locale]);
  const model = await activeHometownModel(db);
  const scored = candidates.map((c) => {
    const distanceKm = c.distance_km === null ? null : Number(c.distance_km);
    const { score, reasons } = scoreStream(
      { ...c, qualityScore: Number(c.quality_score), viewerCount: c.viewer_count, distanceKm },
      viewer,
      model,
    );
    return {
      stream_id: c.id,
      creator_id: c.creator_id,
      title: c.title,
      category: c.category,
      language: c.language,
      city: c.city,
      viewer_count: c.viewer_count,
      score,
      distance_km: distanceKm === null ? null : Math.round(distanceKm * 10) / 10,
      reasons,
    };
  });
  scored.sort((a, b) => b.score - a.score || b.viewer_count - a.viewer_count || a.stream_id.localeCompare(b.stream_id));
  return { streams: scored.slice(0, maxResults) };
}
