import type { Queryable } from "../db/types";

export interface MediaLabel {
  title: string;
  year: number | null;
  media_type: string;
}

/** Columns of the person's tables that hold a title id (a foreign key to canonical_media). */
export async function mediaColumns(db: Queryable): Promise<Map<string, string[]>> {
  const rows = await db.query<{ table_name: string; column_name: string }>(
    `SELECT rel.relname AS table_name, a.attname AS column_name
     FROM pg_constraint c
     JOIN pg_class rel ON rel.oid = c.conrelid
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.contype = 'f' AND c.confrelid = 'public.canonical_media'::regclass
     ORDER BY 1, 2`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
  return out;
}

/** Title, year and type of each id, in one read. */
export async function mediaLabels(db: Queryable, ids: Iterable<string>): Promise<Map<string, MediaLabel>> {
  const list = [...new Set(ids)];
  if (!list.length) return new Map();
  const rows = await db.query<MediaLabel & { id: string }>(
    `SELECT id, title, year, media_type FROM canonical_media WHERE id = ANY($1::text[])`,
    [list],
  );
  return new Map(rows.map((r) => [r.id, { title: r.title, year: r.year, media_type: r.media_type }]));
}

/** "Blade Runner (1982, film)": how a title reads in a list. */
export function mediaLine(id: string, label: MediaLabel | undefined): string {
  if (!label) return id;
  return `${label.title} (${[label.year, label.media_type].filter((v) => v !== null).join(", ")})`;
}

/**
 * A row with each title id followed by that title's name, year and type, so a person reading
 * the export sees "Blade Runner" where the table holds `imdb:tt0083658`.
 */
export function withMediaLabels(
  row: Record<string, unknown>,
  columns: string[],
  labels: Map<string, MediaLabel>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = value;
    if (!columns.includes(key) || typeof value !== "string") continue;
    const label = labels.get(value);
    const prefix = columns.length > 1 ? `${key}_` : "";
    out[`${prefix}title`] = label?.title ?? null;
    out[`${prefix}year`] = label?.year ?? null;
    out[`${prefix}media_type`] = label?.media_type ?? null;
  }
  return out;
}
