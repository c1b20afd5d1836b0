import { describe, expect, it } from "vitest";
import { CRON_JOB_NAMES } from "../../lib/jobs/names";
import { firesBetween, parseCron } from "../helpers/cron-expr";
import { vercelCrons } from "../helpers/production-schedule";

const DAY = 86_400_000;

/** The most times an expression fires on one UTC day, over a whole year. */
function maxFiresPerDay(expr: string): number {
  const cron = parseCron(expr);
  const perDay = new Map<number, number>();
  for (const t of firesBetween(cron, new Date("2027-01-01T00:00:00Z"), new Date("2028-01-01T00:00:00Z"))) {
    const day = Math.floor(t.getTime() / DAY);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  return Math.max(0, ...perDay.values());
}

describe("vercel.json on the Hobby plan", () => {
  it("reads cron expressions as Vercel does", () => {
    expect(maxFiresPerDay("*/5 * * * *")).toBe(288);
    expect(maxFiresPerDay("0 21,9 * * *")).toBe(2);
    expect(maxFiresPerDay("30 5 * * 0")).toBe(1);
  });

  // Hobby accounts are limited to daily cron jobs: a schedule that fires more often fails the deploy.
  it("schedules every cron job at most once a day", () => {
    const crons = vercelCrons();
    expect(crons.length).toBeGreaterThan(0);
    for (const { path, cron } of crons)
      expect({ path, fires: maxFiresPerDay(cron.source) }).toEqual({ path, fires: 1 });
  });

  it("calls only cron routes that exist, the queue worker among them", () => {
    const paths = vercelCrons().map((c) => c.path);
    for (const path of paths) expect(CRON_JOB_NAMES).toContain(path.replace("/api/cron/", ""));
    expect(paths).toContain("/api/cron/worker");
  });
});
