import { ExternalServiceError, outboundTimeLeft, serviceFetch, serviceName, type ServiceId } from "../outbound";

/**
 * POST to an OpenAI-compatible API with retries: 429 and 5xx answers, timeouts and network errors are
 * retried with exponential back-off, honouring Retry-After (seconds) when the server sends it.
 * Other 4xx answers are the caller's mistake and fail at once. Errors name the status, never
 * the request body (it may carry titles a user favorited).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface PostOptions {
  /** Which breaker and timeout the call goes through (lib/outbound). */
  service: ServiceId;
  apiKey?: string;
  /** Attempts in all (first try included). */
  attempts?: number;
  /** Back-off before retry n is baseDelayMs * 2^(n-1), unless Retry-After says otherwise. */
  baseDelayMs?: number;
  /** Longest single wait, whatever Retry-After asks for. */
  maxDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/**
 * Every attempt goes through the service's breaker and timeout; an open breaker (or a route's
 * spent deadline) fails at once. When the service keeps failing, ExternalServiceError.
 */
export async function postJson<T>(url: string, body: unknown, options: PostOptions): Promise<T> {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const path = new URL(url).pathname;
  let lastError: ExternalServiceError = new ExternalServiceError(serviceName(options.service), "no attempt made");
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let wait = base * 2 ** (attempt - 1);
    try {
      const res = await serviceFetch(options.service, url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
      });
      if (res.ok) return (await res.json()) as T;
      await res.body?.cancel();
      if (res.status !== 429 && res.status < 500) throw new ApiError(res.status, `${path} answered ${res.status}`);
      const asked = retryAfterMs(res.headers.get("retry-after"));
      wait = asked ?? wait;
      lastError = new ExternalServiceError(
        serviceName(options.service),
        `${path} answered ${res.status} after ${attempt} tries`,
        asked === null ? undefined : Math.ceil(asked / 1000),
      );
    } catch (err) {
      if (!(err instanceof ExternalServiceError) || !err.retryable) throw err;
      lastError = err;
    }
    if (attempt >= attempts) break;
    // A route's budget (withOutboundDeadline) that a wait would overrun ends the retries now.
    if (Math.min(wait, maxDelay) >= outboundTimeLeft()) throw lastError;
    await sleep(Math.min(wait, maxDelay));
  }
  throw lastError;
}

/** Joins a base URL (".../v1") and a path ("embeddings") without doubling slashes. */
export function endpoint(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path}`;
}
