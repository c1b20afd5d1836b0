import { z } from "zod";
import { favoriteSources } from "@/lib/favorites/types";
import { statusSources } from "@/lib/favorites/status";
import { mediaTypes } from "@/lib/media/types";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/favorites/* and /api/v2/discovery/favorites/status. */

/** Where favorites are imported from: Spotify by OAuth, the others by their export files. */
const importServices = z.enum(statusSources);
const fileServices = importServices.exclude(["spotify"]);

export const importService = z.object({ service: importServices });

const importCounts = z.object({
  rows: z.number().int(),
  imported: z.number().int(),
  matched: z.number().int(),
  skipped: z.number().int(),
});

export const importResponse = z.object({ service: fileServices, counts: importCounts });
export const spotifyConnectResponse = z.object({ service: z.literal("spotify"), authorizeUrl: z.url() });
export const importOrConnectResponse = z.union([importResponse, spotifyConnectResponse]);

/** What Spotify appends to our redirect URI: a code and our state, or an error and our state. */
export const spotifyCallbackQuery = z.object({
  state: z.string().min(16).max(128),
  code: z.string().min(1).max(2048).optional(),
  error: z.string().max(100).optional(),
});

const mediaType = z.enum(mediaTypes);
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
  cursor: z.string().max(500).optional().meta({ description: "nextCursor of the previous page." }),
});

export const favoriteItem = z.object({
  mediaId: z.string(),
  title: z.string(),
  mediaType,
  year: z.number().int().nullable(),
  rating: z.number().nullable(),
  liked: z.boolean(),
  sources: z.array(z.enum([...favoriteSources, "demo"])),
  addedAt: z.string(),
});
export type FavoriteItem = z.infer<typeof favoriteItem>;

export const listFavoritesResponse = z.object({ items: z.array(favoriteItem), nextCursor: z.string().nullable() });
export type FavoritesPage = z.infer<typeof listFavoritesResponse>;

export const sourceStatus = z.object({
  source: importServices,
  state: z.enum(["never", "idle", "queued", "syncing", "failed"]),
  reason: z.string().nullable(),
  counts: z.object({ imported: z.number().int(), matched: z.number().int(), skipped: z.number().int() }),
  lastProcessedAt: z.string().nullable(),
});

export const favoritesStatusResponse = z.object({
  sources: z.array(sourceStatus),
  taste: z.object({
    computedAt: z.string().nullable(),
    /** True when favorites changed after the taste vector was computed (or there is none yet). */
    stale: z.boolean(),
    /** A re-embed is waiting in the queue. */
    queued: z.boolean(),
  }),
});
export type FavoritesStatus = z.infer<typeof favoritesStatusResponse>;

const blade = {
  mediaId: "imdb:tt0083658",
  title: "Blade Runner",
  mediaType: "film",
  year: 1982,
  rating: 4.5,
  liked: true,
  sources: ["letterboxd", "manual"],
  addedAt: "2026-11-20T18:30:00.000Z",
};
const never = { imported: 0, matched: 0, skipped: 0 };

export const operations = {
  listFavorites: operation({
    method: "GET",
    path: "/api/v2/favorites",
    summary: "The caller's favorites, newest first, paged",
    auth: "user",
    query: listFavoritesQuery,
    responses: {
      200: { description: "One page.", schema: listFavoritesResponse, example: { items: [blade], nextCursor: null } },
    },
  }),
  saveFavorite: operation({
    method: "POST",
    path: "/api/v2/favorites/manual",
    summary: "Add or edit a favorite by canonical id, or by title + type (+ year)",
    auth: "user",
    body: manualFavoriteRequest,
    bodyExample: { title: "Blade Runner", mediaType: "film", year: 1982, rating: 4.5 },
    responses: {
      200: {
        description: "An existing favorite was edited.",
        schema: manualFavoriteResponse,
        example: { mediaId: "imdb:tt0083658", created: false },
      },
      201: {
        description: "A new favorite.",
        schema: manualFavoriteResponse,
        example: { mediaId: "imdb:tt0083658", created: true },
      },
    },
    errors: ["media_not_found"],
  }),
  removeFavorite: operation({
    method: "DELETE",
    path: "/api/v2/favorites/{mediaId}",
    summary: "Remove a title from the caller's favorites (every source)",
    auth: "user",
    params: favoriteIdParams,
    responses: { 204: { description: "Removed." } },
    errors: ["favorite_not_found"],
  }),
  importFavorites: operation({
    method: "POST",
    path: "/api/v2/favorites/import/{service}",
    summary: "Import a Letterboxd or Goodreads export, or start connecting Spotify",
    description:
      "letterboxd and goodreads: the export (CSV, or Letterboxd's ZIP) in the form field `file`, parsed completely and saved in one transaction. spotify: no body; answers the URL to send the person to (OAuth with PKCE; the callback finishes it).",
    auth: "user",
    params: importService,
    upload: { field: "file", description: "The export file (letterboxd, goodreads only), at most 10 MB." },
    responses: {
      200: {
        description: "Imported counts, or Spotify's authorize URL.",
        schema: importOrConnectResponse,
        example: { service: "letterboxd", counts: { rows: 120, imported: 112, matched: 96, skipped: 8 } },
      },
    },
    errors: ["invalid_file", "not_configured"],
  }),
  spotifyCallback: operation({
    method: "GET",
    path: "/api/v2/favorites/import/spotify/callback",
    summary: "Spotify's OAuth redirect back to us",
    description:
      "A browser redirect, so no bearer token: the state names the user. On success the sync is queued and the person is sent to /favorites?spotify=queued (or =declined).",
    auth: "none",
    query: spotifyCallbackQuery,
    responses: {
      303: { description: "Back to the favorites page.", headers: { location: "/favorites?spotify=queued|declined" } },
    },
    errors: ["invalid_state", "invalid_code", "not_configured", "service_unavailable"],
  }),
  favoritesStatus: operation({
    method: "GET",
    path: "/api/v2/discovery/favorites/status",
    summary: "Per source import/sync state, and taste freshness",
    auth: "user",
    responses: {
      200: {
        description: "Where each source stands.",
        schema: favoritesStatusResponse,
        example: {
          sources: [
            { source: "spotify", state: "never", reason: null, counts: never, lastProcessedAt: null },
            {
              source: "letterboxd",
              state: "idle",
              reason: null,
              counts: { imported: 112, matched: 96, skipped: 8 },
              lastProcessedAt: "2026-11-20T18:30:00.000Z",
            },
            { source: "goodreads", state: "never", reason: null, counts: never, lastProcessedAt: null },
          ],
          taste: { computedAt: "2026-11-20T18:31:00.000Z", stale: false, queued: false },
        },
      },
    },
  }),
};
