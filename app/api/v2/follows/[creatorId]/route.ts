import { operations } from "@/api/streams";
import { route } from "@/lib/route";
import { unfollow } from "@/lib/streams/follows";

export const dynamic = "force-dynamic";

export const DELETE = route(operations.unfollow, async ({ viewer, db, params }) =>
  unfollow(await db(), viewer.userId, params.creatorId),
);
