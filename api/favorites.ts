import { z } from "zod";

/** The HTTP contract of /api/v2/favorites/* and /api/v2/discovery/favorites/status. */

export const importService = z.object({ service: z.enum(["letterboxd", "goodreads", "spotify"]) });

export const importResponse = z.object({
  service: z.enum(["letterboxd", "goodreads"]),
  counts: z.object({
    rows: z.number().int(),
    imported: z.number().int(),
    matched: z.number().int(),
    skipped: z.number().int(),
  }),
});

const mediaType = z.enum(["film", "book", "music"]);
/** 0.5 to 5 in half stars, the scale Letterboxd uses and Goodreads' whole stars fit in. */
export const rating = z
  .number()
  .min(0.5)
  .max(5)
  .refine((n) => Number.isInteger(n * 2), "must be in steps of 0.5");

const mediaId = z
  .string()
  .regex(/^(imdb|mbid|isbn|local):[\w:.-]{1,80}$/, "must be a canonical id such as imdb:tt0083658");

export const manualFavoriteRequest = z.union([
  z.strictObject({ mediaId, rating: rating.nullable().optional(), liked: z.boolean().optional() }),
  z.strictObject({
    title: z.string().trim().min(1).max(300),
    mediaType,
    year: z.number().int().min(1000).max(3000).nullable().optional(),
    rating: rating.nullable().optional(),
    liked: z.boolean().optional(),
  }),
]);
export type ManualFavoriteRequest = z.infer<typeof manualFavoriteRequest>;

export const manualFavoriteResponse = z.object({ mediaId: z.string(), created: z.boolean() });

export const favoriteIdParams = z.object({ mediaId });

export const listFavoritesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const favoriteItem = z.object({
  mediaId: z.string(),
  title: z.string(),
  mediaType,
  year: z.number().int().nullable(),
  rating: z.number().nullable(),
  liked: z.boolean(),
  sources: z.array(z.enum(["spotify", "letterboxd", "goodreads", "manual", "demo"])),
  addedAt: z.string(),
});

export const listFavoritesResponse = z.object({ items: z.array(favoriteItem), nextCursor: z.string().nullable() });

export const favoritesStatusResponse = z.object({
  sources: z.array(
    z.object({
      source: z.enum(["spotify", "letterboxd", "goodreads"]),
      state: z.enum(["never", "idle", "queued", "syncing", "failed"]),
      reason: z.string().nullable(),
      counts: z.object({ imported: z.number().int(), matched: z.number().int(), skipped: z.number().int() }),
      lastProcessedAt: z.string().nullable(),
    }),
  ),
  taste: z.object({ computedAt: z.string().nullable(), stale: z.boolean(), queued: z.boolean() }),
});
