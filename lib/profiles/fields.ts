import type { PrivacyCategory } from "../privacy/categories";

/**
 * The fields of a profile a person writes, and the privacy category each one is used under
 * (null: part of the account, shown wherever the person is: their name, bio and language).
 * With a category off the field stays stored and editable, and discovery stops using it at once.
 */
export const profileFieldCategories = {
  displayName: null,
  bio: null,
  city: "location",
  hobbies: "interests",
  communities: "interests",
  goals: "interests",
  ageBand: "interests",
  language: null,
} as const satisfies Record<string, PrivacyCategory | null>;

export type ProfileField = keyof typeof profileFieldCategories;
