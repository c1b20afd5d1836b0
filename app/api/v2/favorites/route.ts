import { listFavoritesQuery } from "@/api/favorites";
import { viewerFromRequest } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { listFavorites } from "@/lib/favorites/list";
import { handle, json } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

/** GET /api/v2/favorites?limit=&cursor= — the caller's own favorites, newest first, paged. */
export const GET = handle(async (request: Request) => {
  const viewer = await viewerFromRequest(request);
  const query = listFavoritesQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await listFavorites(await getDb(), viewer.userId, query));
});
