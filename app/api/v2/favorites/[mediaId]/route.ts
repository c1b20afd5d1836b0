import { operations } from "@/api/favorites";
import { removeFavorite } from "@/lib/favorites/manual";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

/** DELETE /api/v2/favorites/:mediaId — removes the title from the caller's favorites (every source). */
export const DELETE = route(operations.removeFavorite, async ({ viewer, db, params }) => {
  await removeFavorite(await db(), viewer.userId, params.mediaId);
});
