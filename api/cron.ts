import { z } from "zod";
import { CRON_JOB_NAMES } from "@/lib/jobs/names";
import { operation } from "./operation";

/** GET /api/cron/<name>: Vercel Cron (and pg_cron via pg_net) start or resume a batch. */
export const cronParams = z.object({ name: z.enum(CRON_JOB_NAMES) });

const progress = z.object({
  phase: z.number().int(),
  phaseName: z.string(),
  cursor: z.string().nullable(),
  done: z.number().int(),
  total: z.number().int().nullable(),
  chunks: z.number().int(),
});

export const cronResponse = z.union([
  z.object({
    job: z.enum(CRON_JOB_NAMES),
    status: z.enum(["done", "paused"]),
    runId: z.number().int(),
    processed: z.number().int(),
    progress,
  }),
  z.object({
    job: z.literal("worker"),
    status: z.enum(["drained", "paused"]),
    queue: z.object({ done: z.number().int(), retried: z.number().int(), dead: z.number().int() }),
  }),
]);
export type CronResponse = z.infer<typeof cronResponse>;

export const operations = {
  runCron: operation({
    method: "GET",
    path: "/api/cron/{name}",
    summary: "Run or resume a batch job within the time budget",
    description:
      'Works on the named batch for at most CRON_BUDGET_MS (20 s by default), resuming a run an earlier call left unfinished; "paused" means call again. `worker` drains the job queue.',
    auth: "cron",
    params: cronParams,
    responses: {
      200: {
        description: "What this call did.",
        schema: cronResponse,
        example: { job: "worker", status: "drained", queue: { done: 3, retried: 0, dead: 0 } },
      },
    },
  }),
};
