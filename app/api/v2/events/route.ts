import { operations } from "@/api/events";
import { ingestEvents } from "@/lib/events/ingest";
import { HttpError } from "@/lib/http/errors";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const POST = route(operations.ingest, async ({ viewer, db, body }) => {
  const subject = viewer
    ? { userId: viewer.userId, mergeAnonId: body.anonId }
    : body.anonId
      ? { anonId: body.anonId }
      : null;
  if (!subject) throw new HttpError(400, "invalid_input", "anonId: send an access token or an anonId", "anonId");
  return ingestEvents(await db(), subject, body.events);
});
