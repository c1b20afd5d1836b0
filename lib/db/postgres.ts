import postgres from "postgres";
import { PoolGate, reportPoolStats } from "./pool-gate";
import type { Db, Queryable, SqlParam } from "./types";

type Sql = postgres.Sql | postgres.TransactionSql;

/**
 * `prepare`: run each statement as a named prepared statement, kept per connection and reused by
 * its text. postgres.js leaves `unsafe` statements unprepared unless told, and an unprepared one
 * with parameters costs two round trips (a Describe to learn the parameter types, then the run)
 * and two parses, every time; our statements are fixed texts with parameters, the case prepared
 * statements are for. At 1M users this took ~10 ms off an uncached slate (p50 94-102 -> 82-90 ms).
 */
function wrap(sql: Sql, prepare: boolean, gate?: PoolGate): Queryable {
  const held = <T>(fn: () => Promise<T>) => (gate ? gate.run(fn) : fn());
  return {
    async query<T extends object>(text: string, params: SqlParam[] = []) {
      const rows = await held(() => sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare }));
      return rows as unknown as T[];
    },
    async exec(text: string) {
      // No parameters: the simple protocol, which accepts a script of several statements.
      await held(() => sql.unsafe(text).simple());
    },
  };
}

export interface PostgresOptions {
  /** Pool size. Serverless functions each hold their own pool, so keep it small there. */
  max?: number;
  /**
   * statement_timeout of every connection (ms): a statement that runs longer (a lock held by another
   * session, a runaway plan) is canceled (57014) and the request answers 503 instead of hanging.
   * The server's pool sets it (MESH_STATEMENT_TIMEOUT_MS); scripts and batches leave it unset.
   * Sent as a startup parameter, which Supabase's transaction pooler (port 6543) does not pass on:
   * there the role's own statement_timeout applies.
   */
  statementTimeoutMs?: number;
  /** A name for MESH_POOL_STATS_FILE (the load test reads the server's pool waits there). */
  statsName?: string;
}

/** Opens a pool on DATABASE_URL (a local PostgreSQL, or Supabase's connection string). */
export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const serverless = Boolean(process.env.VERCEL);
  // Supabase's transaction pooler (port 6543) does not support prepared statements.
  const prepare = !url.includes(":6543");
  const max = options.max ?? (serverless ? 1 : 10);
  // Statements and transactions take a connection through the gate, which measures the wait.
  const gate = new PoolGate(max);
  const stopStats = options.statsName ? reportPoolStats(options.statsName, gate) : () => {};
  const sql = postgres(url, {
    max,
    idle_timeout: serverless ? 5 : 30,
    // A database that does not answer a connect within 5 s is treated as away (503), not waited on.
    connect_timeout: 5,
    // Between reconnect attempts after a connection error: 50 ms doubling to at most 1 s.
    // postgres.js's default grows as 3^n / 100 s to 20 s, counted across the pool, so after a
    // 5 s outage under load the pool waited 7-8 s more to reconnect and queued statements hung
    // 10-16 s (npm run loadtest -- --outage). A refused connect costs next to nothing.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    prepare,
    ...(options.statementTimeoutMs && prepare ? { connection: { statement_timeout: options.statementTimeoutMs } } : {}),
    onnotice: () => {},
    // int8 (count(*), identity ids) as a JS number, as PGlite returns it, so rows look the same
    // on both drivers. Our ids and counts stay far below 2^53.
    types: {
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
  });
  return {
    kind: "postgres",
    ...wrap(sql, prepare, gate),
    transaction: (fn) => gate.run(() => sql.begin((tx) => fn(wrap(tx, prepare))) as Promise<never>),
    async listen(channel, onPayload) {
      const { unlisten } = await sql.listen(channel, onPayload);
      return unlisten;
    },
    close: () => {
      stopStats();
      return sql.end({ timeout: 5 });
    },
  };
}
