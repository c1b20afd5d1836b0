import postgres from "postgres";
import type { Db, Queryable, SqlParam } from "./types";

type Sql = postgres.Sql | postgres.TransactionSql;

function wrap(sql: Sql): Queryable {
  return {
    async query<T extends object>(text: string, params: SqlParam[] = []) {
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
      return rows as unknown as T[];
    },
    async exec(text: string) {
      // No parameters: the simple protocol, which accepts a script of several statements.
      await sql.unsafe(text).simple();
    },
  };
}

export interface PostgresOptions {
  /** Pool size. Serverless functions each hold their own pool, so keep it small there. */
  max?: number;
}

/** Opens a pool on DATABASE_URL (a local PostgreSQL, or Supabase's connection string). */
export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const serverless = Boolean(process.env.VERCEL);
  const sql = postgres(url, {
    max: options.max ?? (serverless ? 1 : 10),
    idle_timeout: serverless ? 5 : 30,
    connect_timeout: 10,
    // Supabase's transaction pooler (port 6543) does not support prepared statements.
    prepare: !url.includes(":6543"),
    onnotice: () => {},
    // int8 (count(*), identity ids) as a JS number, as PGlite returns it, so rows look the same
    // on both drivers. Our ids and counts stay far below 2^53.
    types: {
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
  });
  return {
    kind: "postgres",
    ...wrap(sql),
    transaction: (fn) => sql.begin((tx) => fn(wrap(tx))) as Promise<never>,
    close: () => sql.end({ timeout: 5 }),
  };
}
