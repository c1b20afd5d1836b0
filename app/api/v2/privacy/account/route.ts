import { deleteAccountRequest } from "@/api/privacy";
import { getDb } from "@/lib/db";
import { readJson } from "@/lib/http/body";
import { handle, json } from "@/lib/http/errors";
import { deleteUserData } from "@/lib/privacy/delete";
import { forgetAccount } from "@/lib/users/account";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

export const DELETE = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  deleteAccountRequest.parse(await readJson(request));
  const db = await getDb();
  const result = await deleteUserData(db, viewer.userId);
  // The still-valid token must not find a remembered account: the next request checks again.
  forgetAccount(db, viewer.userId);
  return json(result);
});
