/**
 * Age bands: what the product keeps of a birthday. The birthday itself is read, turned into a band
 * and forgotten (never stored, logged or returned).
 */
export const ageBands = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"] as const;
export type AgeBand = (typeof ageBands)[number];

export interface Birthday {
  year: number;
  month: number;
  day: number;
}

/** Whole years between a birthday and `today` (UTC dates). */
export function ageOn(today: Date, b: Birthday): number {
  const m = today.getUTCMonth() + 1;
  const d = today.getUTCDate();
  const hadBirthday = m > b.month || (m === b.month && d >= b.day);
  return today.getUTCFullYear() - b.year - (hadBirthday ? 0 : 1);
}

/** The band for a birthday, or null under 18 (the service is for adults). */
export function ageBandOn(today: Date, b: Birthday): AgeBand | null {
  const age = ageOn(today, b);
  if (age < 18) return null;
  if (age < 25) return "18-24";
  if (age < 35) return "25-34";
  if (age < 45) return "35-44";
  if (age < 55) return "45-54";
  if (age < 65) return "55-64";
  return "65+";
}
