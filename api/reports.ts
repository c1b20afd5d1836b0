import { z } from "zod";
import { REPORT_REASONS, REPORT_TEXT_MAX } from "@/lib/safety/codes";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/reports: anyone signed in may report a person to the moderators. */

export const reportBody = z.object({
  userId: z.uuid(),
  reason: z.enum(REPORT_REASONS),
  text: z.string().max(REPORT_TEXT_MAX).optional(),
});
export type ReportBody = z.infer<typeof reportBody>;

export const reportResponse = z.object({
  reportId: z.number().int(),
  userId: z.uuid(),
  reason: z.enum(REPORT_REASONS),
  status: z.literal("open"),
  createdAt: z.string(),
});
export type ReportResponse = z.infer<typeof reportResponse>;

const someone = "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f";

export const operations = {
  report: operation({
    method: "POST",
    path: "/api/v2/reports",
    summary: "Report a person",
    description:
      "Files a report for the moderators. Reporting yourself is a 400; a second report of the same person " +
      "while your first is still open is a 409; more than MESH_REPORTS_PER_DAY (10) reports in 24 hours is a 429. " +
      "The reported person never learns who reported them.",
    auth: "user",
    body: reportBody,
    bodyExample: { userId: someone, reason: "harassment", text: "Kept messaging me after I said no." },
    responses: {
      201: {
        description: "Filed.",
        schema: reportResponse,
        example: {
          reportId: 42,
          userId: someone,
          reason: "harassment",
          status: "open",
          createdAt: "2026-11-30T10:00:00.000Z",
        },
      },
    },
    errors: ["not_found", "already_reported"],
  }),
};
