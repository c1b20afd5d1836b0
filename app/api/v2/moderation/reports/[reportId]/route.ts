import { operations } from "@/api/moderation";
import { moderateReport } from "@/lib/safety/moderation";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const POST = route(operations.moderate, async ({ viewer, db, params, body }) =>
  moderateReport(await db(), viewer.userId, Number(params.reportId), body.action),
);
