import { operations } from "@/api/rooms";
import { route } from "@/lib/route";
import { suggestRooms } from "@/lib/rooms/suggest";

export const dynamic = "force-dynamic";

export const GET = route(operations.suggestedRooms, async ({ viewer, readDb, query, request }) =>
  suggestRooms(await readDb(), viewer.userId, {
    limit: query.limit,
    locale: query.locale,
    acceptLanguage: request.headers.get("accept-language"),
  }),
);
