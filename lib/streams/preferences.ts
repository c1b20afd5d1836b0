import type { Queryable } from "../db/types";

/** What a viewer wants from live streams (seed 003's stream preferences). */
export interface StreamPreferences {
  /** Preferred categories, lower case. */
  categories: string[];
  /** How much nearby matters, 0 (not at all) to 1: multiplies HOMETOWN's proximity boost. */
  localStrength: number;
  /** Mature streams are shown only when true. */
  matureAllowed: boolean;
}

export const DEFAULT_STREAM_PREFERENCES: StreamPreferences = {
  categories: [],
  localStrength: 0.5,
  matureAllowed: false,
};

export async function getStreamPreferences(db: Queryable, userId: string): Promise<StreamPreferences> {
  const [r] = await db.query<{ categories: string[]; local_strength: number; mature_allowed: boolean }>(
    "SELECT categories, local_strength, mature_allowed FROM stream_preferences WHERE user_id = $1",
    [userId],
  );
  if (!r) return { ...DEFAULT_STREAM_PREFERENCES };
  return { categories: r.categories, localStrength: Number(r.local_strength), matureAllowed: r.mature_allowed };
}

/** Applies any subset of the preferences; the rest keep their stored (or default) values. */
export async function updateStreamPreferences(
  db: Queryable,
  userId: string,
  change: Partial<StreamPreferences>,
): Promise<StreamPreferences> {
  const next = { ...(await getStreamPreferences(db, userId)), ...change };
  const categories = [...new Set(next.categories.map((c) => c.trim().toLowerCase()).filter(Boolean))];
  await db.query(
    `INSERT INTO stream_preferences (user_id, categories, local_strength, mature_allowed) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET categories = EXCLUDED.categories, local_strength = EXCLUDED.local_strength,
       mature_allowed = EXCLUDED.mature_allowed, updated_at = now()`,
    [userId, categories, next.localStrength, next.matureAllowed],
  );
  return { ...next, categories };
}
