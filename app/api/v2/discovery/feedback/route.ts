import { operations } from "@/api/discovery";
import { recordFeedback } from "@/lib/discovery/feedback";
import { reply, route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const POST = route(operations.feedback, async ({ viewer, db, body }) => {
  const stored = await recordFeedback(await db(), viewer.userId, body.targetId, body.action);
  if (!stored) return reply({ recorded: false as const, id: null }, { status: 202 });
  return { recorded: true as const, id: stored.id };
});
