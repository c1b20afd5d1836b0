import { operations } from "@/api/scenarios";
import { route } from "@/lib/route";
import { streamFeed } from "@/lib/streams/feed/feed";

export const dynamic = "force-dynamic";

export const POST = route(operations.categoryFeed, async ({ viewer, db, body }) =>
  streamFeed(await db(), viewer.userId, body),
);
