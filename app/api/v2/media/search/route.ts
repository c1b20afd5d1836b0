import { mediaSearchQuery } from "@/api/media";
import { viewerFromRequest } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { handle, json } from "@/lib/http/errors";
import { searchMedia } from "@/lib/media/search";

export const dynamic = "force-dynamic";

/** GET /api/v2/media/search?q=&type=&limit= — title auto-complete for manual entry. */
export const GET = handle(async (request: Request) => {
  await viewerFromRequest(request);
  const { q, type, limit } = mediaSearchQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json({ items: await searchMedia(await getDb(), q, { type, limit }) });
});
