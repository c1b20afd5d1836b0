import { operations } from "@/api/events";
import { behaviourStream } from "@/lib/events/live-stream";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.live, async ({ viewer, db, request }) =>
  behaviourStream(await db(), viewer.userId, request.signal),
);
