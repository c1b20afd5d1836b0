import { operations } from "@/api/scenarios";
import { route } from "@/lib/route";
import { hometown } from "@/lib/streams/hometown";

export const dynamic = "force-dynamic";

export const POST = route(operations.hometown, async ({ viewer, db, body }) =>
  hometown(await db(), viewer.userId, body.user_id, body.max_results),
);
