import { operations } from "@/api/scenarios";
import { route } from "@/lib/route";
import { hometownStats } from "@/lib/streams/hometown-stats";

export const dynamic = "force-dynamic";

export const GET = route(operations.hometownStats, async ({ db }) => hometownStats(await db()));
