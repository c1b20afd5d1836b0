import { operations } from "@/api/rooms";
import { route } from "@/lib/route";
import { createRoom } from "@/lib/rooms/rooms";

export const dynamic = "force-dynamic";

export const POST = route(operations.createRoom, async ({ viewer, db, body }) =>
  createRoom(await db(), viewer.userId, body),
);
