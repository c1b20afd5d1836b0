import { operations } from "@/api/discovery";
import { experimentCandidatesPage } from "@/lib/experiments/candidates";
import { reply, route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.candidates, async ({ viewer, readDb, query, request }) => {
  const page = await experimentCandidatesPage(await readDb(), viewer.userId, {
    limit: query.limit,
    offset: query.cursor,
    locale: query.locale,
    acceptLanguage: request.headers.get("accept-language"),
    // Honoured for staff only: "<experiment>:<variant>" serves that variant without assigning.
    experimentHeader: request.headers.get("x-mesh-experiment"),
    staff: viewer.roles.includes("staff"),
  });
  return reply(page.body, { headers: { "server-timing": page.serverTiming } });
});
