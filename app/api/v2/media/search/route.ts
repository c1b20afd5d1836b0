import { operations } from "@/api/media";
import { route } from "@/lib/route";
import { searchMedia } from "@/lib/media/search";

export const dynamic = "force-dynamic";

/** GET /api/v2/media/search?q=&type=&limit= — title auto-complete for manual entry. */
export const GET = route(operations.searchMedia, async ({ readDb, query }) => ({
  items: await searchMedia(await readDb(), query.q, { type: query.type, limit: query.limit }),
}));
