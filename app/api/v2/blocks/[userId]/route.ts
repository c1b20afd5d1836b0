import { blockParams, type BlockResponse } from "@/api/blocks";
import { getDb } from "@/lib/db";
import { unblockUser } from "@/lib/discovery/blocks";
import { handle, json } from "@/lib/http/errors";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

export const DELETE = handle(async (request: Request, context: { params: Promise<{ userId: string }> }) => {
  const viewer = await signedInViewer(request);
  const { userId } = blockParams.parse(await context.params);
  await unblockUser(await getDb(), viewer.userId, userId);
  return json({ userId, blocked: false } satisfies BlockResponse);
});
