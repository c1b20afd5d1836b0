import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCron, type CronExpr } from "./cron-expr";

// The schedules as committed: pg_cron jobs from the migrations, Vercel Cron from vercel.json.
// Tests read these files, not a copy of their contents, so a changed schedule changes the result.

const ROOT = join(import.meta.dirname, "../..");

export interface PgCronJob {
  name: string;
  cron: CronExpr;
  command: string;
}

/**
 * Every schedule_mesh_job('name', 'expr', 'command' | $cmd$command$cmd$) in the migrations, in
 * file order; a later schedule of the same name replaces the earlier one, as cron.schedule does.
 */
export function pgCronJobs(): Map<string, PgCronJob> {
  const dir = join(ROOT, "supabase/migrations");
  const jobs = new Map<string, PgCronJob>();
  const call = /schedule_mesh_job\(\s*'([^']+)',\s*'([^']+)',\s*(?:\$cmd\$([\s\S]*?)\$cmd\$|'((?:[^']|'')*)')\s*\)/g;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const sql = readFileSync(join(dir, file), "utf8");
    for (const m of sql.matchAll(call)) {
      if (m[1] === "job_name") continue; // the function's own definition
      jobs.set(m[1], { name: m[1], cron: parseCron(m[2]), command: m[3] ?? m[4].replace(/''/g, "'") });
    }
  }
  return jobs;
}

export interface VercelCron {
  path: string;
  cron: CronExpr;
}

export function vercelCrons(): VercelCron[] {
  const config = JSON.parse(readFileSync(join(ROOT, "vercel.json"), "utf8")) as {
    crons?: { path: string; schedule: string }[];
  };
  return (config.crons ?? []).map((c) => ({ path: c.path, cron: parseCron(c.schedule) }));
}
