import { blockBody, type BlockResponse } from "@/api/blocks";
import { readJson } from "@/lib/http/body";
import { getDb } from "@/lib/db";
import { blockUser } from "@/lib/discovery/blocks";
import { handle, json } from "@/lib/http/errors";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

export const POST = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  const { userId } = blockBody.parse(await readJson(request));
  await blockUser(await getDb(), viewer.userId, userId);
  return json({ userId, blocked: true } satisfies BlockResponse, 201);
});
