import type { Db } from "../db/types";
import { exportReadme } from "./export-readme";
import { mediaColumns, mediaLabels, mediaLine, withMediaLabels } from "./export-media";
import { ident, SECRET_COLUMN, userColumns } from "./user-tables";

function redact(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = SECRET_COLUMN.test(k) && v !== null ? "[redacted]" : v;
  return out;
}

/** Title ids held as a list (traits name the favorites they came from) get their names beside them. */
const MEDIA_LIST_COLUMNS: Record<string, string> = { source_media: "source_media_titles" };

async function readable(db: Db, rows: Record<string, unknown>[], idColumns: string[]) {
  const ids: string[] = [];
  for (const row of rows) {
    for (const c of idColumns) if (typeof row[c] === "string") ids.push(row[c] as string);
    for (const c of Object.keys(MEDIA_LIST_COLUMNS)) if (Array.isArray(row[c])) ids.push(...(row[c] as string[]));
  }
  const labels = await mediaLabels(db, ids);
  return rows.map((row) => {
    const out = withMediaLabels(redact(row), idColumns, labels);
    for (const [c, named] of Object.entries(MEDIA_LIST_COLUMNS)) {
      if (Array.isArray(row[c])) out[named] = (row[c] as string[]).map((id) => mediaLine(id, labels.get(id)));
    }
    return out;
  });
}

/**
 * Everything we hold about a person, as one JSON document produced table by table (so a large
 * history is streamed, not built in memory): a `readme` saying what each section holds, their
 * account record, their own rows in every table that references them (title ids with the title,
 * year and type beside them), and audit entries about them. Rows that are other people's (who
 * blocked or reported them, others' swipes on them) are not theirs to export; secrets are redacted.
 */
export async function* exportUserData(db: Db, userId: string): AsyncGenerator<string> {
  const columns = (await userColumns(db)).filter((c) => c.owned);
  const media = await mediaColumns(db);
  const sections = ["account", ...columns.map((c) => c.table), "audit_log"];
  yield `{"userId":${JSON.stringify(userId)},"exportedAt":${JSON.stringify(new Date().toISOString())}`;
  yield `,"readme":${JSON.stringify(exportReadme(sections))},"tables":{`;
  const [account] = await db.query("SELECT id, email, created_at FROM auth.users WHERE id = $1", [userId]);
  yield `"account":${JSON.stringify(account ?? null)}`;
  for (const { table, column } of columns) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${ident(table)} WHERE ${ident(column)} = $1`, [
      userId,
    ]);
    yield `,${JSON.stringify(table)}:${JSON.stringify(await readable(db, rows, media.get(table) ?? []))}`;
  }
  const audit = await db.query("SELECT action, detail, created_at FROM audit_log WHERE subject_id = $1 ORDER BY id", [
    userId,
  ]);
  yield `,"audit_log":${JSON.stringify(audit)}}}`;
}
