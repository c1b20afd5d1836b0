import { getDb } from "@/lib/db";
import { favoritesStatus } from "@/lib/favorites/status";
import { handle, json } from "@/lib/http/errors";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

/** GET /api/v2/discovery/favorites/status — per source import/sync state, and taste freshness. */
export const GET = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  return json(await favoritesStatus(await getDb(), viewer.userId));
});
