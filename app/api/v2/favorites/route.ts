import { listFavoritesQuery } from "@/api/favorites";
import { getDb } from "@/lib/db";
import { listFavorites } from "@/lib/favorites/list";
import { handle, json } from "@/lib/http/errors";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

/** GET /api/v2/favorites?limit=&cursor= — the caller's own favorites, newest first, paged. */
export const GET = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  const query = listFavoritesQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await listFavorites(await getDb(), viewer.userId, query));
});
