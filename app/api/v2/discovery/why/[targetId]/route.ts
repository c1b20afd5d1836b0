import { operations } from "@/api/discovery";
import { whyPage } from "@/lib/discovery/why-page";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.why, async ({ viewer, readDb, params, query, request }) =>
  whyPage(await readDb(), viewer.userId, params.targetId, {
    locale: query.locale,
    acceptLanguage: request.headers.get("accept-language"),
  }),
);
