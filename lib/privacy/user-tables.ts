import type { Queryable } from "../db/types";

export interface UserColumn {
  table: string;
  column: string;
  /** The row is the person's own (their favorite, their block), not someone else's about them. */
  owned: boolean;
}

/** Columns naming the row's owner (a name, or "table.column"); other references (blocked_id, target_id) are others' data. */
const OWNER_COLUMNS = new Set(["user_id", "blocker_id", "reporter_id", "host_id", "streams.creator_id"]);

/** Columns never exported, whatever table gains them: secrets stay secret in a data export too. */
export const SECRET_COLUMN = /(encrypted|sealed|secret|token)/i;

/**
 * Every column in the public schema that references auth.users, read from the catalogue so a
 * table added later is covered by export and deletion without anyone remembering to list it.
 */
export async function userColumns(db: Queryable): Promise<UserColumn[]> {
  const rows = await db.query<{ table_name: string; column_name: string }>(
    `SELECT rel.relname AS table_name, a.attname AS column_name
     FROM pg_constraint c
     JOIN pg_class rel ON rel.oid = c.conrelid
     JOIN pg_namespace n ON n.oid = rel.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.contype = 'f' AND c.confrelid = 'auth.users'::regclass AND n.nspname = 'public'
       AND NOT rel.relispartition -- a partition's rows are read and deleted through its parent
     ORDER BY 1, 2`,
  );
  return rows.map((r) => ({
    table: r.table_name,
    column: r.column_name,
    owned: OWNER_COLUMNS.has(r.column_name) || OWNER_COLUMNS.has(`${r.table_name}.${r.column_name}`),
  }));
}

/** Double-quotes an identifier read from the catalogue. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
