// Five-field cron expressions (minute hour day-of-month month day-of-week, UTC), as pg_cron and
// Vercel Cron read them: numbers, `*`, `a-b`, `*/n`, `a-b/n` and lists. Enough to walk the
// schedules this project commits; an expression it cannot read is an error, never a guess.

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

export interface CronExpr {
  source: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Cron's rule: when both day fields are restricted, a day matching either one fires. */
  dayOr: boolean;
}

function parseField(text: string, field: (typeof FIELDS)[number], expr: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron "${expr}": cannot read ${field.name} "${part}"`);
    const from = m[1] === "*" ? field.min : Number(m[2]);
    const to = m[1] === "*" ? field.max : m[3] !== undefined ? Number(m[3]) : m[4] ? field.max : from;
    const step = m[4] ? Number(m[4]) : 1;
    if (from < field.min || to > field.max || from > to || step < 1) {
      throw new Error(`cron "${expr}": ${field.name} "${part}" is out of range`);
    }
    for (let v = from; v <= to; v += step) values.add(field.name === "day of week" && v === 7 ? 0 : v);
  }
  return values;
}

export function parseCron(source: string): CronExpr {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${source}": expected 5 fields, got ${parts.length}`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i], source));
  return { source, minutes, hours, days, months, weekdays, dayOr: parts[2] !== "*" && parts[4] !== "*" };
}

function matchesDay(c: CronExpr, t: Date): boolean {
  const dom = c.days.has(t.getUTCDate());
  const dow = c.weekdays.has(t.getUTCDay());
  return c.dayOr ? dom || dow : dom && dow;
}

/** The first minute at or after `from` (rounded up to a whole minute) that the expression fires. */
export function nextFire(c: CronExpr, from: Date): Date {
  const t = new Date(Math.ceil(from.getTime() / 60_000) * 60_000);
  // Four years of minutes is more than any expression needs (Feb 29 every four years).
  for (let i = 0; i < 4 * 366 * 24 * 60; i++) {
    if (
      c.months.has(t.getUTCMonth() + 1) &&
      matchesDay(c, t) &&
      c.hours.has(t.getUTCHours()) &&
      c.minutes.has(t.getUTCMinutes())
    ) {
      return t;
    }
    // Skip whole hours or days that cannot match instead of walking their minutes.
    if (!c.months.has(t.getUTCMonth() + 1) || !matchesDay(c, t)) {
      t.setUTCHours(24, 0, 0, 0);
    } else if (!c.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    }
  }
  throw new Error(`cron "${c.source}" never fires`);
}

/** Every firing in [from, to). */
export function firesBetween(c: CronExpr, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let t = nextFire(c, from); t < to; t = nextFire(c, new Date(t.getTime() + 60_000))) out.push(t);
  return out;
}
