import { operations } from "@/api/discovery";
import { recordFeedback } from "@/lib/discovery/feedback";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const POST = route(operations.feedback, async ({ viewer, db, body }) => {
  const { id } = await recordFeedback(await db(), viewer.userId, body.targetId, body.action);
  return { recorded: true as const, id };
});
