import { operations } from "@/api/events";
import { eventSubject, ingestEvents } from "@/lib/events/ingest";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const POST = route(operations.ingest, async ({ viewer, db, body }) =>
  ingestEvents(await db(), eventSubject(viewer?.userId ?? null, body.anonId), body.events),
);
