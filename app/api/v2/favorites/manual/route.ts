import { operations } from "@/api/favorites";
import { saveManualFavorite } from "@/lib/favorites/manual";
import { reply, route } from "@/lib/route";

export const dynamic = "force-dynamic";

/** POST /api/v2/favorites/manual — add or edit a favorite by canonical id or by title + type (+ year). */
export const POST = route(operations.saveFavorite, async ({ viewer, db, body }) => {
  const saved = await saveManualFavorite(await db(), viewer.userId, body);
  return reply(saved, { status: saved.created ? 201 : 200 });
});
