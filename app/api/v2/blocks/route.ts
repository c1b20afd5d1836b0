import { operations } from "@/api/blocks";
import { blockUser } from "@/lib/discovery/blocks";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const POST = route(operations.block, async ({ viewer, db, body }) => {
  await blockUser(await db(), viewer.userId, body.userId);
  return { userId: body.userId, blocked: true };
});
