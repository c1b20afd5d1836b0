import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { computeFeatures } from "./features";
import { toSlateEntry } from "./pipeline";
import { rankCandidates } from "./ranker/model";
import { retrieveCandidates } from "./retrieve";
import { loadSharedTitles, withSharedTitles } from "./shared-titles";
import { applySafety } from "./safety";
import { resolveSettings } from "./settings";
import type { SlateEntry } from "./types";
import { loadViewer } from "./viewer";

export interface WhyAnswer {
  entry: SlateEntry;
  modelVersion: string;
}

// One answer for unknown, blocked, opted-out and unsafe targets alike: which it was is not ours
// to reveal.
const notFound = () => new HttpError(404, "not_found", "no such candidate");

/**
 * Why this target was (or would be) suggested to this viewer: the cached explanation when there
 * is one, else computed for the one target and cached. Eligibility is checked live on every call,
 * so a block or an opt-out takes effect even while an explanation is cached.
 */
export async function explainCandidate(db: Db, viewerId: string, targetId: string): Promise<WhyAnswer> {
  const rows = await db.query<{ eligible: boolean; payload: SlateEntry | null; model_version: string | null }>(
    `SELECT EXISTS (
         SELECT 1 FROM profiles p WHERE p.user_id = $2 AND p.user_id <> ALL (discovery_excluded($1, false))
           AND NOT EXISTS (SELECT 1 FROM discovery_hidden() h WHERE h.user_id = p.user_id)
           AND NOT EXISTS (SELECT 1 FROM safety_scores ss WHERE ss.user_id = $2 AND ss.harassment_score > 0.8)
       ) AS eligible, w.payload, w.model_version
     FROM (SELECT 1) one
     LEFT JOIN why_cache w ON w.viewer_id = $1 AND w.target_id = $2 AND w.expires_at > now()`,
    [viewerId, targetId],
  );
  const row = rows[0];
  if (!row?.eligible) throw notFound();
  if (row.payload && row.model_version) return { entry: row.payload, modelVersion: row.model_version };

  const settings = resolveSettings();
  const loaded = await loadViewer(db, viewerId);
  const raw = await retrieveCandidates(db, loaded.viewer, { kind: "target", targetId });
  const ranked = rankCandidates(
    loaded.model,
    raw.map((r) => computeFeatures(loaded.viewer, r)),
  );
  const safe = applySafety(ranked, { blocked: loaded.blocked, reportPenalty: settings.reportPenalty });
  if (safe.length === 0) throw notFound();
  const titles = await loadSharedTitles(db, viewerId, safe);
  const entry = toSlateEntry(withSharedTitles(safe[0], titles.get(targetId)));
  await db.query(
    `INSERT INTO why_cache (viewer_id, target_id, payload, model_version, expires_at)
     VALUES ($1, $2, $3::text::jsonb, $4, now() + make_interval(secs => $5::int))
     ON CONFLICT (viewer_id, target_id) DO UPDATE SET payload = EXCLUDED.payload,
       model_version = EXCLUDED.model_version, expires_at = EXCLUDED.expires_at`,
    [viewerId, targetId, JSON.stringify(entry), loaded.model.version, settings.slateTtlSeconds],
  );
  return { entry, modelVersion: loaded.model.version };
}
