import { favoriteIdParams } from "@/api/favorites";
import { getDb } from "@/lib/db";
import { removeFavorite } from "@/lib/favorites/manual";
import { handle } from "@/lib/http/errors";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

/** DELETE /api/v2/favorites/:mediaId — removes the title from the caller's favorites (every source). */
export const DELETE = handle(async (request: Request, context: { params: Promise<{ mediaId: string }> }) => {
  const viewer = await signedInViewer(request);
  const { mediaId } = favoriteIdParams.parse(await context.params);
  await removeFavorite(await getDb(), viewer.userId, mediaId);
  return new Response(null, { status: 204 });
});
