import { operations } from "@/api/blocks";
import { unblockUser } from "@/lib/discovery/blocks";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const DELETE = route(operations.unblock, async ({ viewer, db, params }) => {
  await unblockUser(await db(), viewer.userId, params.userId);
  return { userId: params.userId, blocked: false };
});
