import { operations } from "@/api/dev";
import { route } from "@/lib/route";
import { issueLocalToken } from "@/lib/runtime/local-token";

export const dynamic = "force-dynamic";

export const POST = route(operations.localToken, async ({ db, body }) => issueLocalToken(await db(), body));
