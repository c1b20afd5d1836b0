/** The locales the product speaks: reasons from the API and the pages' strings alike. */
export const locales = ["en", "es"] as const;
export type Locale = (typeof locales)[number];
