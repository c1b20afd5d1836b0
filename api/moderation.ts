import { z } from "zod";
import { MODERATION_ACTIONS, REPORT_REASONS } from "@/lib/safety/codes";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/moderation/*: open reports and moderators' decisions (role moderator). */

export const openReportsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const reportSummary = z.object({
  reportId: z.number().int(),
  reason: z.enum(REPORT_REASONS),
  text: z.string().nullable(),
  status: z.string(),
  createdAt: z.string(),
});

export const openReport = z.object({
  reportId: z.number().int(),
  reason: z.enum(REPORT_REASONS),
  text: z.string().nullable(),
  createdAt: z.string(),
  reported: z.object({
    userId: z.uuid(),
    displayName: z.string().nullable(),
    harassmentScore: z.number().nullable(),
    independentReporters: z.number().int(),
    suspended: z.boolean(),
    warnings: z.number().int(),
    recentReports: z.array(reportSummary),
    blocks: z.object({ last90Days: z.number().int(), total: z.number().int() }),
  }),
});
export const openReportsResponse = z.object({ reports: z.array(openReport) });
export type OpenReportsResponse = z.infer<typeof openReportsResponse>;

export const moderationParams = z.object({ reportId: z.string().regex(/^[1-9][0-9]{0,17}$/, "a report id") });
export const moderationBody = z.object({ action: z.enum(MODERATION_ACTIONS) });
export const moderationResponse = z.object({
  reportId: z.number().int(),
  userId: z.uuid(),
  action: z.enum(MODERATION_ACTIONS),
  resolved: z.number().int(),
  suspended: z.boolean(),
});
export type ModerationResponse = z.infer<typeof moderationResponse>;

const someone = "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f";

export const operations = {
  openReports: operation({
    method: "GET",
    path: "/api/v2/moderation/reports",
    summary: "Open reports, oldest first (moderators)",
    description:
      "Each with the reported person's reports of the last 90 days, blocks, warnings and harassment score. " +
      "Reporters are not named.",
    auth: { role: "moderator" },
    query: openReportsQuery,
    responses: {
      200: {
        description: "The open reports.",
        schema: openReportsResponse,
        example: {
          reports: [
            {
              reportId: 42,
              reason: "harassment",
              text: "Kept messaging me after I said no.",
              createdAt: "2026-11-30T10:00:00.000Z",
              reported: {
                userId: someone,
                displayName: "Sam K.",
                harassmentScore: 0.25,
                independentReporters: 1,
                suspended: false,
                warnings: 0,
                recentReports: [
                  {
                    reportId: 42,
                    reason: "harassment",
                    text: "Kept messaging me after I said no.",
                    status: "open",
                    createdAt: "2026-11-30T10:00:00.000Z",
                  },
                ],
                blocks: { last90Days: 2, total: 3 },
              },
            },
          ],
        },
      },
    },
  }),
  moderate: operation({
    method: "POST",
    path: "/api/v2/moderation/reports/{reportId}",
    summary: "Decide an open report (moderators)",
    description:
      "dismiss: the report counts for nothing. warn: every open report about the person is upheld and a " +
      "warning recorded. suspend: the same, and the person leaves everyone's discovery at once.",
    auth: { role: "moderator" },
    params: moderationParams,
    body: moderationBody,
    bodyExample: { action: "suspend" },
    responses: {
      200: {
        description: "Decided.",
        schema: moderationResponse,
        example: { reportId: 42, userId: someone, action: "suspend", resolved: 2, suspended: true },
      },
    },
    errors: ["not_found", "report_resolved"],
  }),
};
