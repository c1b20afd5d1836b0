import type { HealthResponse } from "@/api/health";
import { getDb } from "@/lib/db";
import { checkHealth } from "@/lib/health";
import { json } from "@/lib/http/errors";
import { APP_VERSION } from "@/lib/version";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    const report: HealthResponse = await checkHealth(await getDb(), APP_VERSION);
    return json(report);
  } catch (err) {
    log.error("health: database unreachable", err);
    return json(
      {
        status: "unavailable",
        error: { code: "db_unreachable", message: "database unreachable" },
        version: APP_VERSION,
      },
      503,
    );
  }
}
