import { z } from "zod";
import { privacyCategories } from "@/lib/privacy/categories";

const settingsShape = Object.fromEntries(privacyCategories.map((c) => [c, z.boolean()])) as Record<
  (typeof privacyCategories)[number],
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
