import { operations } from "@/api/experiments";
import { experimentMetrics } from "@/lib/experiments/metrics";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.metrics, async ({ db, params }) => experimentMetrics(await db(), params.id));
