import { operations } from "@/api/rooms";
import { route } from "@/lib/route";
import { roomDetail } from "@/lib/rooms/detail";

export const dynamic = "force-dynamic";

export const GET = route(operations.room, async ({ viewer, db, params }) =>
  roomDetail(await db(), viewer.userId, params.id),
);
