import { z } from "zod";
import { CRON_JOB_NAMES } from "../lib/jobs/names";

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
