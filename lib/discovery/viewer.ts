import type { Queryable } from "../db/types";
import { fromVectorColumn } from "../db/vector";
import { HttpError } from "../http/errors";
import { modelFromRow, PRIOR_MODEL } from "./ranker/model";
import { storedDescriptors } from "../traits/schema";
import type { Locale, RankerModel, SignalPermissions, ViewerContext } from "./types";

export interface LoadedViewer {
  viewer: ViewerContext;
  model: RankerModel;
  /** Users blocked by, or blocking, the viewer. */
  blocked: Set<string>;
}

interface ViewerRow {
  lat: number | null;
  lon: number | null;
  hobbies: string[];
  communities: string[];
  goals: string[];
  locale: string;
  taste: string | null;
  embedding: string | null;
  traits: unknown;
  privacy: Record<string, boolean> | null;
  model: { version: string; bias: number; weights: unknown } | null;
  blocked: string[] | null;
  dwell_avg: number | null;
}

/** A missing privacy row means the category is on. */
export function permissionsFrom(privacy: Record<string, boolean> | null): SignalPermissions {
  const on = (k: string) => privacy?.[k] !== false;
  return {
    favorites: on("favorites"),
    interests: on("interests"),
    behaviour: on("behaviour"),
    location: on("location"),
  };
}

/**
 * Everything the pipeline needs about the viewer, and the active ranker, in one round trip. Signals
 * the viewer switched off are dropped here, so no later stage can use them: favorites off means
 * no taste vector and no traits; interests off, no profile embedding and no hobbies; location
 * off, no coordinates; behaviour off, no dwell average (and no attention feature).
 */
export async function loadViewer(db: Queryable, userId: string): Promise<LoadedViewer> {
  const rows = await db.query<ViewerRow>(
    `SELECT p.lat, p.lon, p.hobbies, p.communities, p.goals, p.locale, t.taste::text AS taste, e.embedding::text AS embedding, ut.traits,
       (SELECT jsonb_object_agg(s.category, s.enabled) FROM privacy_settings s WHERE s.user_id = p.user_id) AS privacy,
       (SELECT to_jsonb(m) FROM (SELECT version, bias, weights FROM ranker_models WHERE active) m) AS model,
       (SELECT array_agg(x) FROM (
          SELECT blocked_id AS x FROM blocks WHERE blocker_id = p.user_id
          UNION SELECT blocker_id FROM blocks WHERE blocked_id = p.user_id) b) AS blocked,
       (SELECT d.avg_dwell_ms FROM user_dwell_avg d WHERE d.user_id = p.user_id AND d.target_type = 'person') AS dwell_avg
     FROM profiles p
     LEFT JOIN user_taste_vectors t ON t.user_id = p.user_id
     LEFT JOIN user_embeddings e ON e.user_id = p.user_id
     LEFT JOIN user_traits ut ON ut.user_id = p.user_id
     WHERE p.user_id = $1`,
    [userId],
  );
  if (rows.length === 0) throw new HttpError(404, "unknown_viewer", "no profile for this account");
  const r = rows[0];
  const permissions = permissionsFrom(r.privacy);
  const viewer: ViewerContext = {
    userId,
    taste: permissions.favorites && r.taste ? fromVectorColumn(r.taste) : null,
    embedding: permissions.interests && r.embedding ? fromVectorColumn(r.embedding) : null,
    lat: permissions.location ? r.lat : null,
    lon: permissions.location ? r.lon : null,
    hobbies: permissions.interests ? r.hobbies : [],
    communities: permissions.interests ? r.communities : [],
    goals: permissions.interests ? r.goals : [],
    traits: permissions.favorites ? storedDescriptors(r.traits) : [],
    locale: (r.locale === "es" ? "es" : "en") as Locale,
    permissions,
    dwellAvgMs: permissions.behaviour && r.dwell_avg !== null ? Number(r.dwell_avg) : null,
  };
  return { viewer, model: r.model ? modelFromRow(r.model) : PRIOR_MODEL, blocked: new Set(r.blocked ?? []) };
}
