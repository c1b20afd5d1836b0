import { feedbackBody } from "@/api/discovery";
import { readJson } from "@/lib/http/body";
import { viewerFromRequest } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { recordFeedback } from "@/lib/discovery/feedback";
import { handle, json } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const POST = handle(async (request: Request) => {
  const viewer = await viewerFromRequest(request);
  const body = feedbackBody.parse(await readJson(request));
  const { id } = await recordFeedback(await getDb(), viewer.userId, body.targetId, body.action);
  return json({ recorded: true, id }, 201);
});
