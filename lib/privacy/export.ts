import type { Db } from "../db/types";
import { ident, SECRET_COLUMN, userColumns } from "./user-tables";

function redact(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = SECRET_COLUMN.test(k) && v !== null ? "[redacted]" : v;
  return out;
}

/**
 * Everything we hold about a person, as JSON text produced table by table (so a large history is
 * streamed, not built in memory): their own rows in every table that references them, their
 * account record, and audit entries about them. Rows that are other people's (who blocked or
 * reported them, others' swipes on them) are not theirs to export; secrets are redacted.
 */
export async function* exportUserData(db: Db, userId: string): AsyncGenerator<string> {
  const columns = (await userColumns(db)).filter((c) => c.owned);
  yield `{"userId":${JSON.stringify(userId)},"exportedAt":${JSON.stringify(new Date().toISOString())},"tables":{`;
  const [account] = await db.query("SELECT id, email, created_at FROM auth.users WHERE id = $1", [userId]);
  yield `"account":${JSON.stringify(account ?? null)}`;
  for (const { table, column } of columns) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${ident(table)} WHERE ${ident(column)} = $1`, [
      userId,
    ]);
    yield `,${JSON.stringify(table)}:${JSON.stringify(rows.map(redact))}`;
  }
  const audit = await db.query("SELECT action, detail, created_at FROM audit_log WHERE subject_id = $1 ORDER BY id", [
    userId,
  ]);
  yield `,"audit_log":${JSON.stringify(audit)}}}`;
}
