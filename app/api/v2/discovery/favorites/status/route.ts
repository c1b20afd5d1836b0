import { viewerFromRequest } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { favoritesStatus } from "@/lib/favorites/status";
import { handle, json } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

/** GET /api/v2/discovery/favorites/status — per source import/sync state, and taste freshness. */
export const GET = handle(async (request: Request) => {
  const viewer = await viewerFromRequest(request);
  return json(await favoritesStatus(await getDb(), viewer.userId));
});
