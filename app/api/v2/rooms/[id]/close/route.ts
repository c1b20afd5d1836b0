import { operations } from "@/api/rooms";
import { route } from "@/lib/route";
import { closeRoom } from "@/lib/rooms/rooms";

export const dynamic = "force-dynamic";

export const POST = route(operations.closeRoom, async ({ viewer, db, params }) =>
  closeRoom(await db(), viewer.userId, params.id),
);
