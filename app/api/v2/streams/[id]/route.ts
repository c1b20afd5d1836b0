import { operations } from "@/api/streams";
import { route } from "@/lib/route";
import { upsertStream } from "@/lib/streams/streams";

export const dynamic = "force-dynamic";

export const PUT = route(operations.upsertStream, async ({ viewer, db, params, body }) =>
  upsertStream(await db(), viewer.userId, params.id, body),
);
