import { operations } from "@/api/cron";
import { cronBudgetMs, runCron } from "@/lib/job-registry/cron";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.runCron, async ({ db, params }) =>
  runCron(await db(), params.name, { budgetMs: cronBudgetMs() }),
);
