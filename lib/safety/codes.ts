/**
 * The codes of reports and moderation, kept free of imports: the HTTP contract (api/) names them
 * too. Report reasons are the reports table's CHECK list.
 */
export const REPORT_REASONS = ["harassment", "spam", "impersonation", "other"] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const MODERATION_ACTIONS = ["dismiss", "warn", "suspend"] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** Longest report text, in characters (the table's CHECK). */
export const REPORT_TEXT_MAX = 1000;
