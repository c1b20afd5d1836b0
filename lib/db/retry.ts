/**
 * Transient database failures: the statement was fine, another transaction was in the way.
 * 40001 serialization failure, 40P01 deadlock detected, 55P03 lock not available.
 */
const TRANSIENT_CODES = new Set(["40001", "40P01", "55P03"]);

/** SQLSTATE of a driver error (postgres.js and PGlite both expose it as `code`), or undefined. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The database stayed busy through every retry: the caller should come back shortly (HTTP 503). */
export class DatabaseBusyError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    options: { cause: unknown },
  ) {
    super("the database is busy with other changes to the same rows; try again shortly", options);
    this.name = "DatabaseBusyError";
  }
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** First back-off; each later one doubles, with full jitter. */
  baseDelayMs?: number;
  /** More SQLSTATEs to treat as transient for this call. */
  alsoRetry?: readonly string[];
}

/**
 * Runs fn (a whole transaction: a retry must redo all of it) and runs it again after a jittered,
 * growing pause when it fails transiently; after the last try, DatabaseBusyError.
 */
export async function retryTransient<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 25;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = sqlState(err);
      const transient = code !== undefined && (TRANSIENT_CODES.has(code) || options.alsoRetry?.includes(code));
      if (!transient) throw err;
      if (attempt >= attempts) throw new DatabaseBusyError(1, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * base * 2 ** (attempt - 1)));
    }
  }
}
