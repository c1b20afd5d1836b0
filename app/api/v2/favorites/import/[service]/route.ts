import { operations } from "@/api/favorites";
import { importFromService } from "@/lib/connectors/import-service";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

/**
 * POST /api/v2/favorites/import/:service — a Letterboxd or Goodreads export in the form field `file`;
 * for `spotify`, the URL to send the person to (OAuth with PKCE; the callback finishes it).
 */
export const POST = route(operations.importFavorites, async ({ viewer, db, params, file }) =>
  importFromService(await db(), viewer.userId, params.service, file),
);
