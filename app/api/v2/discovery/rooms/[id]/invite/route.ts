import { operations } from "@/api/rooms";
import { route } from "@/lib/route";
import { peopleToInvite } from "@/lib/rooms/invite";

export const dynamic = "force-dynamic";

export const GET = route(operations.peopleToInvite, async ({ viewer, db, params, query, request }) =>
  peopleToInvite(await db(), viewer.userId, params.id, {
    limit: query.limit,
    locale: query.locale,
    acceptLanguage: request.headers.get("accept-language"),
  }),
);
