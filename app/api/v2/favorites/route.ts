import { operations } from "@/api/favorites";
import { listFavorites } from "@/lib/favorites/list";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

/** GET /api/v2/favorites?limit=&cursor= — the caller's own favorites, newest first, paged. */
export const GET = route(operations.listFavorites, async ({ viewer, db, query }) =>
  listFavorites(await db(), viewer.userId, query),
);
