import { z } from "zod";
import { privacyCategories, type PrivacyCategory } from "@/lib/privacy/categories";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/privacy/*: the privacy dashboard's switches, export and deletion. */

const settingsShape = Object.fromEntries(privacyCategories.map((c) => [c, z.boolean()])) as Record<
  PrivacyCategory,
  z.ZodBoolean
>;

export const privacySettingsResponse = z.object({
  settings: z.object(settingsShape),
  updatedAt: z.string().nullable(),
});
export type PrivacySettingsResponse = z.infer<typeof privacySettingsResponse>;

/** PUT body: any subset of the categories, each a boolean; unknown keys are an error, not ignored. */
export const privacySettingsUpdate = z
  .object(settingsShape)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "name at least one category to change" });

export const deleteAccountRequest = z.object({
  confirm: z.literal("DELETE", { error: 'send {"confirm": "DELETE"} to delete your data' }),
});
export const deleteAccountResponse = z.object({ deleted: z.boolean() });

/** A favorite in the export: the title id with the title, year and type beside it, and where it came from. */
const exportedFavorite = z
  .object({
    media_id: z.string(),
    title: z.string().nullable(),
    year: z.number().int().nullable(),
    media_type: z.string().nullable(),
    source: z.string(),
  })
  .catchall(z.unknown());

/**
 * The export file (GDPR Art. 15: intelligible to the person): a `readme` saying what each section
 * holds, then every table that holds the person, as rows (secrets redacted; title ids named).
 */
export const exportDocument = z.object({
  userId: z.uuid(),
  exportedAt: z.string(),
  readme: z.object({
    about: z.string(),
    userId: z.string(),
    exportedAt: z.string(),
    mediaIds: z.string(),
    tables: z.record(z.string(), z.string()).describe("What each key of `tables` holds, in plain words."),
  }),
  tables: z.object({ favorite_items: z.array(exportedFavorite) }).catchall(z.unknown()),
});

const exportExample = {
  userId: "5b0c6f1e-8a61-4c5e-9f44-0c2b9f1f7a10",
  exportedAt: "2026-11-29T10:00:00.000Z",
  readme: {
    about: "Everything Mesh Discovery holds about you, as one JSON document. …",
    userId: "Your account id. …",
    exportedAt: "When this file was made (UTC).",
    mediaIds: "Titles are identified by ids: imdb:… (IMDb), mbid:… (MusicBrainz), isbn:… (the book's ISBN), local:… …",
    tables: {
      favorite_items: "Your favorites: each title with its title, year and type, your rating, where it came from …",
    },
  },
  tables: {
    account: {
      id: "5b0c6f1e-8a61-4c5e-9f44-0c2b9f1f7a10",
      email: "ada@example.com",
      created_at: "2026-11-25T09:00:00Z",
    },
    favorite_items: [
      {
        user_id: "5b0c6f1e-8a61-4c5e-9f44-0c2b9f1f7a10",
        media_id: "local:film:62a6c1d0",
        title: "Blade Runner",
        year: 1982,
        media_type: "film",
        source: "letterboxd",
        rating: "4.5",
        added_at: "2026-11-25T09:05:00Z",
      },
    ],
  },
};

const allOn = Object.fromEntries(privacyCategories.map((c) => [c, true])) as Record<PrivacyCategory, boolean>;

export const operations = {
  getPrivacySettings: operation({
    method: "GET",
    path: "/api/v2/privacy/settings",
    summary: "The caller's signal switches (each on unless switched off)",
    auth: "user",
    responses: {
      200: {
        description: "Every category and whether it is used.",
        schema: privacySettingsResponse,
        example: { settings: allOn, updatedAt: null },
      },
    },
  }),
  updatePrivacySettings: operation({
    method: "PUT",
    path: "/api/v2/privacy/settings",
    summary: "Switch signal categories on or off",
    description: "Switching a category off stops its use at once; derived data is deleted within 15 minutes.",
    auth: "user",
    body: privacySettingsUpdate,
    bodyExample: { location: false },
    responses: {
      200: {
        description: "The settings after the change.",
        schema: privacySettingsResponse,
        example: { settings: { ...allOn, location: false }, updatedAt: "2026-11-25T10:00:00.000Z" },
      },
    },
  }),
  exportData: operation({
    method: "GET",
    path: "/api/v2/privacy/export",
    summary: "Everything held about the caller, as a JSON file",
    auth: "user",
    responses: {
      200: {
        description:
          "The export, one JSON document streamed as an attachment (mesh-discovery-export.json): a readme " +
          "explaining each section, then each table's rows, with title, year and type beside every title id.",
        schema: exportDocument,
        example: exportExample,
        headers: { "content-disposition": 'attachment; filename="mesh-discovery-export.json"' },
      },
    },
  }),
  deleteAccount: operation({
    method: "DELETE",
    path: "/api/v2/privacy/account",
    summary: "Delete the caller's account and everything that holds them",
    auth: "user",
    body: deleteAccountRequest,
    bodyExample: { confirm: "DELETE" },
    responses: { 200: { description: "Deleted.", schema: deleteAccountResponse, example: { deleted: true } } },
  }),
};
