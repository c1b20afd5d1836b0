import { operations } from "@/api/rooms";
import { route } from "@/lib/route";
import { leaveRoom } from "@/lib/rooms/rooms";

export const dynamic = "force-dynamic";

export const POST = route(operations.leaveRoom, async ({ viewer, db, params }) =>
  leaveRoom(await db(), viewer.userId, params.id),
);
