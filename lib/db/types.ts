/** The one database interface the engine uses; PGlite and postgres.js both implement it. */
export type DriverKind = "pglite" | "postgres";

export type SqlParam = string | number | boolean | null | Date | Uint8Array | unknown[] | object;

export interface Queryable {
  /**
   * Runs one parameterised statement ($1, $2, ...) and returns its rows. Pass JSON as a string
   * cast with `$n::text::jsonb`: the drivers encode a value typed jsonb differently.
   */
  query<T extends object = Record<string, unknown>>(sql: string, params?: SqlParam[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: DriverKind;
  /** Runs fn inside one transaction: all of it commits, or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTENs on a channel: `onPayload` gets each NOTIFY's payload (sent at the notifier's commit).
   * Resolves once listening, to a function that stops. PostgreSQL holds one connection for it;
   * Supabase's transaction pooler (port 6543) cannot LISTEN, so it rejects there.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Claims as Supabase puts them in `request.jwt.claims` (what auth.uid() and RLS read). */
export interface JwtClaims {
  sub?: string;
  role: "anon" | "authenticated" | "service_role";
  [key: string]: unknown;
}
