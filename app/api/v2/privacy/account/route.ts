import { deleteAccountRequest } from "@/api/privacy";
import { viewerFromRequest } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { readJson } from "@/lib/http/body";
import { handle, json } from "@/lib/http/errors";
import { deleteUserData } from "@/lib/privacy/delete";

export const dynamic = "force-dynamic";

export const DELETE = handle(async (request: Request) => {
  const viewer = await viewerFromRequest(request);
  deleteAccountRequest.parse(await readJson(request));
  const result = await deleteUserData(await getDb(), viewer.userId);
  return json(result);
});
