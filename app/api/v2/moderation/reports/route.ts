import { operations } from "@/api/moderation";
import { listOpenReports } from "@/lib/safety/moderation";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.openReports, async ({ db, query }) => ({
  reports: await listOpenReports(await db(), query.limit),
}));
