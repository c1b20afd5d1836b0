import { z } from "zod";
// The error body is the HTTP contract's (api/errors.ts), declared there once.
import type { ErrorBody } from "../../api/errors";
import { DatabaseBusyError } from "../db/retry";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/unavailable";
import { log } from "../log";
import { ExternalServiceError } from "../outbound";

/** Retry-After for an external service that named no wait of its own. */
const SERVICE_RETRY_AFTER_SECONDS = 60;

/** An error that maps to an HTTP status and a JSON body the caller can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Headers the answer carries, such as a 401's WWW-Authenticate challenge. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/** Maps what a handler threw to a JSON error: 4xx for the caller's mistakes, 500 for ours. */
export function errorResponse(err: unknown): Response {
  if (err instanceof z.ZodError) {
    const issues = err.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
    const first = issues[0];
    const body: ErrorBody = {
      error: { code: "invalid_input", message: `${first.field}: ${first.message}`, field: first.field, issues },
    };
    return json(body, 400);
  }
  // Also authentication failures (AuthError, lib/auth/tokens.ts): 401 with a Bearer challenge.
  if (err instanceof HttpError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message, field: err.field } };
    return json(body, err.status, err.headers);
  }
  if (err instanceof DatabaseBusyError) {
    return json({ error: { code: "busy", message: err.message } } satisfies ErrorBody, 503, {
      "retry-after": String(err.retryAfterSeconds),
    });
  }
  if (isDatabaseUnavailable(err)) {
    log.error("database unavailable", err);
    const body: ErrorBody = {
      error: {
        code: "database_unavailable",
        message: "the database is unavailable or too slow right now; try again shortly",
      },
    };
    return json(body, 503, { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) });
  }
  if (err instanceof ExternalServiceError) {
    log.error("external service unavailable", err);
    const body: ErrorBody = {
      error: { code: "service_unavailable", message: `${err.service} is unavailable right now; try again shortly` },
    };
    return json(body, 503, { "retry-after": String(err.retryAfterSeconds ?? SERVICE_RETRY_AFTER_SECONDS) });
  }
  // Ours: log the error class and message only (never request bodies: they may be personal).
  const id = crypto.randomUUID();
  log.error(`internal error ${id}`, err);
  return json({ error: { code: "internal", message: `internal error (reference ${id})` } } satisfies ErrorBody, 500);
}

/** Wraps a route handler so every thrown error becomes a JSON response. */
export function handle<A extends unknown[]>(
  fn: (request: Request, ...rest: A) => Promise<Response>,
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    try {
      return await fn(request, ...rest);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
