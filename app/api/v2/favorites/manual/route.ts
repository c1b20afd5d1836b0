import { manualFavoriteRequest } from "@/api/favorites";
import { getDb } from "@/lib/db";
import { saveManualFavorite } from "@/lib/favorites/manual";
import { readJson } from "@/lib/http/body";
import { handle, json } from "@/lib/http/errors";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

/** POST /api/v2/favorites/manual — add or edit a favorite by canonical id or by title + type (+ year). */
export const POST = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  const input = manualFavoriteRequest.parse(await readJson(request));
  const saved = await saveManualFavorite(await getDb(), viewer.userId, input);
  return json(saved, saved.created ? 201 : 200);
});
