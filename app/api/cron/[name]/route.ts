import { cronParams, type CronResponse } from "@/api/cron";
import { getDb } from "@/lib/db";
import { handle, json } from "@/lib/http/errors";
import { cronBudgetMs, requireCronSecret, runCron } from "@/lib/job-registry/cron";

export const dynamic = "force-dynamic";

/** Vercel Cron: runs or resumes the named batch within the time budget ("paused": call again). */
export const GET = handle(async (request: Request, context: { params: Promise<{ name: string }> }) => {
  requireCronSecret(request);
  const { name } = cronParams.parse(await context.params);
  const result: CronResponse = await runCron(await getDb(), name, { budgetMs: cronBudgetMs() });
  return json(result);
});
