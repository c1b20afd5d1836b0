import { operations } from "@/api/share-card";
import { route } from "@/lib/route";
import { twinCard } from "./card";

export const dynamic = "force-dynamic";

/** GET /api/og/twin — the share card PNG for the viewer (the token may also come as ?token=). */
export const GET = route(operations.twinCard, async ({ viewer, db }) => twinCard(await db(), viewer.userId));
