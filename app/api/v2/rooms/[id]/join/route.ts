import { operations } from "@/api/rooms";
import { route } from "@/lib/route";
import { joinRoom } from "@/lib/rooms/rooms";

export const dynamic = "force-dynamic";

export const POST = route(operations.joinRoom, async ({ viewer, db, params }) =>
  joinRoom(await db(), viewer.userId, params.id),
);
