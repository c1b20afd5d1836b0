import { operations } from "@/api/favorites";
import { favoritesStatus } from "@/lib/favorites/status";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

/** GET /api/v2/discovery/favorites/status — per source import/sync state, and taste freshness. */
export const GET = route(operations.favoritesStatus, async ({ viewer, db }) =>
  favoritesStatus(await db(), viewer.userId),
);
