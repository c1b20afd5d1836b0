import { operations } from "@/api/health";
import { healthAnswer } from "@/lib/health";
import { reply, route } from "@/lib/route";
import { APP_VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

export const GET = route(operations.health, async ({ db }) => {
  const { status, body } = await healthAnswer(db, APP_VERSION);
  return reply(body, { status });
});
