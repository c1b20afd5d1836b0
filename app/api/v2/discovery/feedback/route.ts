import { feedbackBody } from "@/api/discovery";
import { readJson } from "@/lib/http/body";
import { getDb } from "@/lib/db";
import { recordFeedback } from "@/lib/discovery/feedback";
import { handle, json } from "@/lib/http/errors";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

export const POST = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  const body = feedbackBody.parse(await readJson(request));
  const { id } = await recordFeedback(await getDb(), viewer.userId, body.targetId, body.action);
  return json({ recorded: true, id }, 201);
});
