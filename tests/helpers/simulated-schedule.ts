import { nextFire, type CronExpr } from "./cron-expr";

// A simulated clock over the production schedule: which trigger drains the job queue next after
// a given moment, and, over every moment of a horizon, the longest wait until one does.

/** One firing: at a known minute (pg_cron, in-process), or somewhere in a window (Vercel Hobby). */
export interface Occurrence {
  early: Date;
  late: Date;
}

export interface Trigger {
  name: string;
  /** The first firing that cannot have happened before `t` (its window opens at or after `t`). */
  nextAfter(t: Date): Occurrence;
  /** What the firing does, for real, against the test's database and routes. */
  fire(): Promise<void>;
}

const HOUR = 3_600_000;

/** pg_cron and Vercel Pro: on the minute. */
export function exactCron(cron: CronExpr): Trigger["nextAfter"] {
  return (t) => {
    const at = nextFire(cron, t);
    return { early: at, late: at };
  };
}

/**
 * Vercel Hobby: "a cron job configured as 0 1 * * * will trigger anywhere between 1:00 am and
 * 1:59 am" (Vercel's usage and pricing page). A firing's window is its scheduled hour.
 */
export function hobbyCron(cron: CronExpr): Trigger["nextAfter"] {
  return (t) => {
    for (let from = new Date(t.getTime() - HOUR); ;) {
      const scheduled = nextFire(cron, from);
      const early = new Date(Math.floor(scheduled.getTime() / HOUR) * HOUR);
      if (early >= t) return { early, late: new Date(early.getTime() + 59 * 60_000) };
      from = new Date(scheduled.getTime() + 60_000);
    }
  };
}

/** A timer every `everyMs` since `epoch` (the in-process worker, treating each drain as instant). */
export function everyMs(everyMs: number, epoch: Date): Trigger["nextAfter"] {
  return (t) => {
    const n = Math.max(0, Math.ceil((t.getTime() - epoch.getTime()) / everyMs));
    const at = new Date(epoch.getTime() + n * everyMs);
    return { early: at, late: at };
  };
}

/** How long after `t` the queue is drained at the latest: the soonest of the triggers' latest firings. */
export function waitAfter(triggers: Trigger[], t: Date): { ms: number; by: Trigger; at: Date } {
  let best: { ms: number; by: Trigger; at: Date } | undefined;
  for (const trigger of triggers) {
    const { late } = trigger.nextAfter(t);
    const ms = late.getTime() - t.getTime();
    if (!best || ms < best.ms) best = { ms, by: trigger, at: late };
  }
  if (!best) throw new Error("no trigger drains the queue in this setup");
  return best;
}

/**
 * The worst moment to switch something off: just after a trigger fired (at the start of its
 * window, the adversary's choice), tried for every firing in the horizon. Returns that moment.
 */
export function worstMoment(triggers: Trigger[], from: Date, horizonMs: number, maxMoments = 20_000): Date {
  let worst: { t: Date; ms: number } | undefined;
  let t = from;
  for (let i = 0; i < maxMoments && t.getTime() < from.getTime() + horizonMs; i++) {
    const soonest = Math.min(...triggers.map((tr) => tr.nextAfter(t).early.getTime()));
    const moment = new Date(soonest + 1); // a millisecond after that firing
    const { ms } = waitAfter(triggers, moment);
    if (!worst || ms > worst.ms) worst = { t: moment, ms };
    t = moment;
  }
  if (!worst) throw new Error("empty horizon");
  return worst.t;
}
