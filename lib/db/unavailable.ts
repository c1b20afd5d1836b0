import { sqlState } from "./retry";

/**
 * SQLSTATEs that mean the database could not serve the statement, not that the statement was
 * wrong: class 08 (connection exception), 53300 too many connections, 57P01-57P03 shutting down /
 * crashed / starting up, 57014 canceled (our statement timeout).
 */
const UNAVAILABLE_STATES = new Set(["53300", "57P01", "57P02", "57P03", "57014"]);

/** Node's socket errors and postgres.js's own connection errors. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * True when `err` says the database is away, restarting, overloaded or too slow (a statement
 * timeout): the request may be retried shortly (HTTP 503 + Retry-After), or served from what this
 * process still remembers.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return state.startsWith("08") || UNAVAILABLE_STATES.has(state);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
  // AggregateError from a connect to several addresses (localhost: ::1 and 127.0.0.1).
  if (err instanceof AggregateError) return err.errors.some(isDatabaseUnavailable);
  return false;
}

/** How long a client should wait before trying again after a 503 for an unavailable database. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
