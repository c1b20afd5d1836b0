import { operations } from "@/api/streams";
import { route } from "@/lib/route";
import { getStreamPreferences, updateStreamPreferences } from "@/lib/streams/preferences";

export const dynamic = "force-dynamic";

export const GET = route(operations.streamPreferences, async ({ viewer, db }) =>
  getStreamPreferences(await db(), viewer.userId),
);

export const PUT = route(operations.updateStreamPreferences, async ({ viewer, db, body }) =>
  updateStreamPreferences(await db(), viewer.userId, body),
);
