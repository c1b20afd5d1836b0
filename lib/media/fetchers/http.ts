import { ExternalServiceError, serviceFetch, serviceName, type ServiceId } from "../../outbound";

/** A metadata service kept failing (5xx, 429 past our patience, a refused key): try again later. */
export class MetadataServiceError extends ExternalServiceError {
  constructor(service: string, message: string, retryAfterSeconds?: number) {
    super(service, message, retryAfterSeconds);
    this.name = "MetadataServiceError";
  }
}

export interface MetadataHttpOptions {
  /** Waits between retries and between rate-limited calls; injectable so tests record them. */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch; injectable so a test's sleep can advance it. */
  now?: () => number;
  /** Shortest gap between two requests to this service (MusicBrainz: 1000). */
  minIntervalMs?: number;
  maxRetries?: number;
  /** Longest Retry-After we honour; past it the service is treated as down for this run. */
  maxWaitMs?: number;
  headers?: Record<string, string>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retry-After as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * GETs JSON from one metadata service the way public APIs ask to be called: never faster than
 * `minIntervalMs`, waiting out a 429's Retry-After, retrying 5xx and network failures with
 * exponential back-off. A 404 answers null ("not found" is an answer, not a failure). Every call
 * goes through the service's breaker and timeout (lib/outbound): an open breaker fails at once.
 */
export class MetadataHttpClient {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private lastRequestAt: number | null = null;
  requests = 0;

  private readonly service: string;

  constructor(
    private readonly serviceId: ServiceId,
    private readonly options: MetadataHttpOptions = {},
  ) {
    this.service = serviceName(serviceId);
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  private async pace(): Promise<void> {
    const gap = this.options.minIntervalMs ?? 0;
    if (gap > 0 && this.lastRequestAt !== null) {
      const wait = this.lastRequestAt + gap - this.now();
      if (wait > 0) await this.sleep(wait);
    }
    this.lastRequestAt = this.now();
  }

  async getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T | null> {
    const maxRetries = this.options.maxRetries ?? 4;
    const maxWaitMs = this.options.maxWaitMs ?? 60_000;
    const path = new URL(url).pathname;
    for (let attempt = 0; ; attempt++) {
      await this.pace();
      this.requests++;
      let res: Response | null = null;
      try {
        res = await serviceFetch(this.serviceId, url, {
          headers: { accept: "application/json", ...this.options.headers, ...headers },
        });
      } catch (err) {
        if (err instanceof ExternalServiceError && !err.retryable) throw err;
        if (attempt >= maxRetries) {
          throw new MetadataServiceError(this.service, `${path} unreachable: ${(err as Error).message}`);
        }
      }
      if (res?.ok) return (await res.json()) as T;
      await res?.body?.cancel();
      if (res?.status === 404) return null;
      const retryable = !res || res.status === 429 || res.status >= 500;
      if (!retryable) throw new MetadataServiceError(this.service, `answered ${res!.status} for ${path}`);
      if (attempt >= maxRetries) {
        throw new MetadataServiceError(this.service, `answered ${res?.status ?? "nothing"} after ${attempt + 1} tries`);
      }
      const asked = res ? retryAfterMs(res.headers.get("retry-after"), this.now()) : null;
      const wait = asked ?? 500 * 2 ** attempt;
      if (wait > maxWaitMs) {
        throw new MetadataServiceError(this.service, `asked us to wait ${wait / 1000} s`, Math.ceil(wait / 1000));
      }
      await this.sleep(wait);
    }
  }
}
