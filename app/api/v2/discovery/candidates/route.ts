import { operations } from "@/api/discovery";
import { candidatesPage } from "@/lib/discovery/candidates-page";
import { reply, route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.candidates, async ({ viewer, readDb, query, request }) => {
  const page = await candidatesPage(await readDb(), viewer.userId, {
    limit: query.limit,
    offset: query.cursor,
    locale: query.locale,
    acceptLanguage: request.headers.get("accept-language"),
  });
  return reply(page.body, { headers: { "server-timing": page.serverTiming } });
});
