import { operations } from "@/api/streams";
import { route } from "@/lib/route";
import { follow, listFollows } from "@/lib/streams/follows";

export const dynamic = "force-dynamic";

export const GET = route(operations.follows, async ({ viewer, db }) => listFollows(await db(), viewer.userId));

export const POST = route(operations.follow, async ({ viewer, db, body }) =>
  follow(await db(), viewer.userId, body.creatorId),
);
