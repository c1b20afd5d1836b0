import { createHash } from "node:crypto";
import type { Queryable } from "../db/types";
import { favoriteInUseSql } from "../favorites/in-use";
import { mediaMetadataSchema, type MediaType } from "../media/types";
import { favoriteWeight, MIN_FAVORITES } from "../taste/weights";
import type { TraitsProvider, TraitsTitle } from "./provider";
import { log } from "../log";

/** Traits describe a user's top favorites by weight (rating, recency, likes, plays). */
export const TRAITS_TOP_FAVORITES = 15;
/** Traits are recomputed when older than this... */
export const TRAITS_MAX_AGE_DAYS = 7;
/** ...or when the set of favorites changed by more than this share. */
export const TRAITS_CHANGE_THRESHOLD = 0.1;

interface FavoriteRow {
  user_id: string;
  media_id: string;
  media_type: MediaType;
  title: string;
  year: number | null;
  metadata: unknown;
  rating: number | null;
  liked: boolean;
  play_count: number;
  added_at: Date | string;
}

interface Existing {
  computed_at: Date | string;
  source_media: string[];
}

/** Share of favorites added or removed since the traits were computed (symmetric difference). */
export function favoritesChange(before: string[], now: string[]): number {
  const a = new Set(before);
  const b = new Set(now);
  let changed = 0;
  for (const x of a) if (!b.has(x)) changed++;
  for (const x of b) if (!a.has(x)) changed++;
  return changed / Math.max(1, a.size);
}

export function traitsDue(existing: Existing | undefined, mediaIds: string[], now: Date): boolean {
  if (!existing) return true;
  const ageDays = (now.getTime() - new Date(existing.computed_at).getTime()) / 86_400_000;
  return (
    ageDays >= TRAITS_MAX_AGE_DAYS || favoritesChange(existing.source_media ?? [], mediaIds) > TRAITS_CHANGE_THRESHOLD
  );
}

export interface TraitsRunResult {
  written: number;
  cleared: number;
  skipped: number;
  failed: number;
}

/**
 * Computes traits for the given users when due (or always with `force`). Users with fewer than
 * MIN_FAVORITES favorites in use (favoriteInUseSql: the favorites category on, connector rows
 * only with connectors on) have none (deleted).
 * A provider failure for one user is counted and leaves their previous traits in place.
 */
export async function computeTraits(
  db: Queryable,
  provider: TraitsProvider,
  userIds: string[],
  options: { now?: Date; force?: boolean } = {},
): Promise<TraitsRunResult> {
  const now = options.now ?? new Date();
  const result: TraitsRunResult = { written: 0, cleared: 0, skipped: 0, failed: 0 };
  if (!userIds.length) return result;
  const rows = await db.query<FavoriteRow>(
    `SELECT f.user_id::text AS user_id, f.media_id, m.media_type, m.title, m.year, m.metadata,
            max(f.rating)::float8 AS rating, bool_or(f.liked) AS liked, sum(f.play_count)::int AS play_count,
            max(f.added_at) AS added_at
     FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id
     WHERE f.user_id = ANY($1::uuid[]) AND ${favoriteInUseSql("f")}
     GROUP BY f.user_id, f.media_id, m.media_type, m.title, m.year, m.metadata
     -- A fixed order: the same favorites give the same traits (and the same prompt).
     ORDER BY f.user_id, f.media_id`,
    [userIds],
  );
  const existing = new Map(
    (
      await db.query<Existing & { user_id: string }>(
        `SELECT user_id::text AS user_id, computed_at, source_media FROM user_traits WHERE user_id = ANY($1::uuid[])`,
        [userIds],
      )
    ).map((r) => [r.user_id, r]),
  );
  const byUser = new Map<string, FavoriteRow[]>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);

  const clear: string[] = [];
  for (const userId of userIds) {
    const favorites = byUser.get(userId) ?? [];
    if (favorites.length < MIN_FAVORITES) {
      if (existing.has(userId)) clear.push(userId);
      else result.skipped++;
      continue;
    }
    const mediaIds = favorites.map((f) => f.media_id).sort();
    if (!options.force && !traitsDue(existing.get(userId), mediaIds, now)) {
      result.skipped++;
      continue;
    }
    const topTitles: TraitsTitle[] = favorites
      .map((f) => {
        const m = mediaMetadataSchema.safeParse(f.metadata ?? {});
        const meta = m.success ? m.data : mediaMetadataSchema.parse({});
        return {
          title: f.title,
          mediaType: f.media_type,
          year: f.year,
          genres: meta.genres,
          themes: meta.themes,
          mood: meta.mood,
          creators: meta.creators,
          weight: favoriteWeight(
            {
              rating: f.rating === null ? null : Number(f.rating),
              liked: f.liked,
              playCount: f.play_count,
              addedAt: new Date(f.added_at),
            },
            now,
          ),
        };
      })
      .sort((a, b) => b.weight - a.weight || a.title.localeCompare(b.title))
      .slice(0, TRAITS_TOP_FAVORITES);
    let traits;
    try {
      traits = await provider.traits(topTitles);
    } catch (err) {
      result.failed++;
      log.error(`traits (${provider.name}) failed`, err);
      continue;
    }
    const sourceHash = createHash("sha256").update(mediaIds.join("\n")).digest("hex");
    await db.query(
      `INSERT INTO user_traits (user_id, traits, source_hash, provider, source_media, computed_at)
       VALUES ($1, $2::text::jsonb, $3, $4, $5::text[], $6)
       ON CONFLICT (user_id) DO UPDATE SET traits = EXCLUDED.traits, source_hash = EXCLUDED.source_hash,
         provider = EXCLUDED.provider, source_media = EXCLUDED.source_media, computed_at = EXCLUDED.computed_at`,
      [userId, JSON.stringify(traits), sourceHash, provider.name, mediaIds, now],
    );
    result.written++;
  }
  if (clear.length) {
    await db.query(`DELETE FROM user_traits WHERE user_id = ANY($1::uuid[])`, [clear]);
    result.cleared += clear.length;
  }
  return result;
}
