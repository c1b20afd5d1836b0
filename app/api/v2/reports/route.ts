import { operations } from "@/api/reports";
import { fileReport } from "@/lib/safety/reports";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const POST = route(operations.report, async ({ viewer, db, body }) =>
  fileReport(await db(), viewer.userId, body),
);
