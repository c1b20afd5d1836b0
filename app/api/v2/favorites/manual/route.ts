import { manualFavoriteRequest } from "@/api/favorites";
import { viewerFromRequest } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { saveManualFavorite } from "@/lib/favorites/manual";
import { readJson } from "@/lib/http/body";
import { handle, json } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

/** POST /api/v2/favorites/manual — add or edit a favorite by canonical id or by title + type (+ year). */
export const POST = handle(async (request: Request) => {
  const viewer = await viewerFromRequest(request);
  const input = manualFavoriteRequest.parse(await readJson(request));
  const saved = await saveManualFavorite(await getDb(), viewer.userId, input);
  return json(saved, saved.created ? 201 : 200);
});
