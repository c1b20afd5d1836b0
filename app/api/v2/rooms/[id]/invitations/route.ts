import { operations } from "@/api/rooms";
import { route } from "@/lib/route";
import { inviteToRoom } from "@/lib/rooms/rooms";

export const dynamic = "force-dynamic";

export const POST = route(operations.invite, async ({ viewer, db, params, body }) =>
  inviteToRoom(await db(), viewer.userId, params.id, body.userId),
);
