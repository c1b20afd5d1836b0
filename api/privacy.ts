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

/** The export file: every table that holds the person, as rows (secrets redacted). */
export const exportDocument = z.object({
  userId: z.uuid(),
  exportedAt: z.string(),
  tables: z.record(z.string(), z.unknown()),
});

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
        description: "The export, streamed as an attachment (mesh-discovery-export.json).",
        schema: exportDocument,
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
