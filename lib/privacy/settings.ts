import { stopConnectorSyncs } from "../connectors/consent";
import type { Db, Queryable } from "../db/types";
import { invalidateSlates, invalidateSlatesShowing } from "../discovery/slate-cache";
import { enqueueJob } from "../jobs/enqueue";
import { defaultSettings, privacyCategories, type PrivacyCategory, type PrivacySettings } from "./categories";

export interface PrivacySettingsView {
  settings: PrivacySettings;
  updatedAt: string | null;
}

export async function getPrivacySettings(db: Queryable, userId: string): Promise<PrivacySettingsView> {
  const rows = await db.query<{ category: PrivacyCategory; enabled: boolean; updated_at: Date | string }>(
    "SELECT category, enabled, updated_at FROM privacy_settings WHERE user_id = $1",
    [userId],
  );
  const settings = defaultSettings();
  let updatedAt: Date | null = null;
  for (const r of rows) {
    settings[r.category] = r.enabled;
    const at = new Date(r.updated_at);
    if (!updatedAt || at > updatedAt) updatedAt = at;
  }
  return { settings, updatedAt: updatedAt?.toISOString() ?? null };
}

/**
 * Applies a partial change in one transaction: the rows, an audit entry and a signal_opt_out /
 * signal_opt_in event per changed category, the person's queued connector syncs when `connectors`
 * goes off, the cached slates that used or showed them, and a queued propagation job that removes
 * or restores the derived data (taste vectors, traits, profile embedding).
 */
export async function updatePrivacySettings(
  db: Db,
  userId: string,
  change: Partial<PrivacySettings>,
): Promise<PrivacySettingsView> {
  return db.transaction(async (tx) => {
    const current = (await getPrivacySettings(tx, userId)).settings;
    const changed = privacyCategories.filter((c) => change[c] !== undefined && change[c] !== current[c]);
    for (const category of changed) {
      const enabled = change[category]!;
      await tx.query(
        `INSERT INTO privacy_settings (user_id, category, enabled, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (user_id, category) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`,
        [userId, category, enabled],
      );
      await tx.query("INSERT INTO events (user_id, kind, target_id) VALUES ($1, $2, $3)", [
        userId,
        enabled ? "signal_opt_in" : "signal_opt_out",
        category,
      ]);
      if (category === "connectors" && !enabled) await stopConnectorSyncs(tx, userId);
      if ((category === "favorites" || category === "connectors") && !enabled) {
        // Next titles are predicted from the person's favorites, synced ones included
        // (lib/taste/next-titles.ts); the nightly batch writes them again from what is in use.
        await tx.query("DELETE FROM item_recommendations WHERE user_id = $1 AND scenario = 'titles'", [userId]);
        await tx.query("DELETE FROM user_loved_titles WHERE user_id = $1", [userId]);
      }
      if (category === "recommendations" && !enabled) {
        await tx.query("DELETE FROM item_recommendations WHERE user_id = $1", [userId]);
      }
      if (category === "discoverable") {
        await tx.query("UPDATE profiles SET discoverable = $2, updated_at = now() WHERE user_id = $1", [
          userId,
          enabled,
        ]);
      }
    }
    if (changed.length) {
      await tx.query(
        "INSERT INTO audit_log (actor_id, subject_id, action, detail) VALUES ($1, $1, 'privacy.update', $2::text::jsonb)",
        [userId, JSON.stringify(Object.fromEntries(changed.map((c) => [c, change[c]])))],
      );
      // Serving stops using the signal at once: the person's own slates, and every slate showing them.
      await invalidateSlates(tx, [userId]);
      await invalidateSlatesShowing(tx, userId);
      await enqueueJob(tx, "privacy-propagation", { userId }, { dedupeKey: `privacy:${userId}` });
    }
    return getPrivacySettings(tx, userId);
  });
}
