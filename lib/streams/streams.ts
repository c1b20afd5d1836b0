import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { resolveCity } from "../profiles/gazetteer";

/** A stream as its creator (or the platform acting for them) reports it. */
export interface StreamInput {
  title: string;
  category: string;
  /** ISO 639-1, lower case. */
  language: string;
  /** A city name, optionally "Name, CC": resolved offline; its point is stored, never a position. */
  city: string;
  live: boolean;
  qualityScore: number;
  viewerCount: number;
  partnered: boolean;
  mature: boolean;
}

export interface StoredStream {
  id: string;
  city: string;
  live: boolean;
}

/** City level: the gazetteer's point rounded to 0.01° (about 1 km), for everyone in that city alike. */
const cityPoint = (x: number) => Math.round(x * 100) / 100;

/**
 * Creates or updates the caller's stream `id` (one statement). Going live sets `live_since`
 * (kept while it stays live); ending sets `ended_at`. A stream of someone else answers 403.
 */
export async function upsertStream(db: Db, creatorId: string, id: string, input: StreamInput): Promise<StoredStream> {
  const place = await resolveCity(input.city);
  if (!place) throw new HttpError(400, "invalid_input", `no city called "${input.city}" is known`, "city");
  // One statement: the update applies only to the caller's own stream, so two creators racing for
  // one id can never overwrite each other (the loser gets no row back: 403).
  const stored = await db.query(
    `INSERT INTO streams (id, creator_id, title, category, language, city, lat, lon, quality_score, viewer_count,
                            peak_viewers, partnered, mature, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, CASE WHEN $13::boolean THEN NULL ELSE now() END)
       ON CONFLICT (id) DO UPDATE SET
         title = EXCLUDED.title, category = EXCLUDED.category, language = EXCLUDED.language, city = EXCLUDED.city,
         lat = EXCLUDED.lat, lon = EXCLUDED.lon, quality_score = EXCLUDED.quality_score,
         viewer_count = EXCLUDED.viewer_count, peak_viewers = greatest(streams.peak_viewers, EXCLUDED.viewer_count),
         partnered = EXCLUDED.partnered, mature = EXCLUDED.mature,
         live_since = CASE WHEN streams.ended_at IS NOT NULL AND $13::boolean THEN now() ELSE streams.live_since END,
         ended_at = CASE WHEN $13::boolean THEN NULL ELSE coalesce(streams.ended_at, now()) END,
         updated_at = now()
       WHERE streams.creator_id = EXCLUDED.creator_id
       RETURNING id`,
    [
      id,
      creatorId,
      input.title.trim(),
      input.category.trim().toLowerCase(),
      input.language,
      place.label,
      cityPoint(place.lat),
      cityPoint(place.lon),
      input.qualityScore,
      input.viewerCount,
      input.partnered,
      input.mature,
      input.live,
    ],
  );
  if (stored.length === 0) throw new HttpError(403, "forbidden", "this stream is someone else's");
  return { id, city: place.label, live: input.live };
}
