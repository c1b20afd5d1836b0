/** Lower-case, trimmed, de-duplicated tags in their first order, at most `limit` of them. */
export function cleanTags(values: Iterable<string | null | undefined>, limit = 12): string[] {
  const out: string[] = [];
  for (const raw of values) {
    const tag = raw?.replace(/\s+/g, " ").trim().toLowerCase();
    if (tag && !out.includes(tag)) out.push(tag);
    if (out.length >= limit) break;
  }
  return out;
}

/** Display names (creators), de-duplicated case-insensitively, original spelling kept. */
export function cleanNames(values: Iterable<string | null | undefined>, limit = 6): string[] {
  const out: string[] = [];
  for (const raw of values) {
    const name = raw?.replace(/\s+/g, " ").trim();
    if (name && !out.some((n) => n.toLowerCase() === name.toLowerCase())) out.push(name);
    if (out.length >= limit) break;
  }
  return out;
}

/** "2008-09-14", "2008", "September 14, 2008" -> 2008; undefined when there is no plausible year. */
export function yearOf(date: string | number | null | undefined): number | undefined {
  const match = /\b(1[5-9]\d\d|20\d\d)\b/.exec(String(date ?? ""));
  return match ? Number(match[1]) : undefined;
}
