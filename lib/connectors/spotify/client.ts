import { ExternalServiceError, serviceFetch } from "../../outbound";
import type { SpotifyConfig } from "./config";
import { refreshTokens, type TokenSet } from "./tokens";

export interface SpotifyClientOptions {
  /** Waits between retries; injectable so tests see the waits without spending them. */
  sleep?: (ms: number) => Promise<void>;
  /** Called with new tokens after a refresh, so they are stored (sealed) at once. */
  onTokens?: (tokens: TokenSet) => Promise<void>;
  maxRetries?: number;
  /** Longest Retry-After we honour before giving up on this sync (the nightly run tries again). */
  maxWaitMs?: number;
}

/** Spotify asked for a longer wait than this sync will spend: the job comes back after it. */
export class SpotifyRateLimitedError extends ExternalServiceError {
  constructor(waitSeconds: number) {
    super("Spotify", `asked us to wait ${waitSeconds} s`, waitSeconds);
    this.name = "SpotifyRateLimitedError";
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A Web API client that behaves as Spotify asks: honours 429 Retry-After, retries 5xx with
 * exponential back-off, refreshes an expired access token once per 401, and follows paging.
 * Every request goes through the `spotify-api` breaker and timeout (lib/outbound).
 */
export class SpotifyClient {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRetries: number;
  private readonly maxWaitMs: number;
  requests = 0;

  constructor(
    private readonly config: SpotifyConfig,
    private tokens: TokenSet,
    private readonly options: SpotifyClientOptions = {},
  ) {
    this.sleep = options.sleep ?? defaultSleep;
    this.maxRetries = options.maxRetries ?? 4;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
  }

  private async refresh(): Promise<void> {
    this.tokens = await refreshTokens(this.config, this.tokens);
    await this.options.onTokens?.(this.tokens);
  }

  /** GET a Web API path (or a full `next` URL from a page) as JSON. */
  async get<T>(pathOrUrl: string): Promise<T> {
    const url = pathOrUrl.startsWith("http") ? this.rebase(pathOrUrl) : `${this.config.apiUrl}${pathOrUrl}`;
    if (this.tokens.expiresAt <= Date.now() + 30_000) await this.refresh();
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      this.requests++;
      let res: Response;
      try {
        res = await serviceFetch("spotify-api", url, {
          headers: { authorization: `Bearer ${this.tokens.accessToken}` },
        });
      } catch (err) {
        if (!(err instanceof ExternalServiceError) || !err.retryable || attempt >= this.maxRetries) throw err;
        await this.sleep(500 * 2 ** attempt);
        continue;
      }
      if (res.ok) return (await res.json()) as T;
      await res.body?.cancel();
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        await this.refresh();
        continue;
      }
      if (attempt >= this.maxRetries && (res.status === 429 || res.status >= 500)) {
        throw new ExternalServiceError("Spotify", `answered ${res.status} after ${attempt + 1} tries`);
      }
      if (attempt >= this.maxRetries) throw new Error(`Spotify answered ${res.status} after ${attempt + 1} tries`);
      if (res.status === 429) {
        const wait = Math.max(1, Number(res.headers.get("retry-after") ?? "1")) * 1000;
        if (wait > this.maxWaitMs) throw new SpotifyRateLimitedError(wait / 1000);
        await this.sleep(wait);
        continue;
      }
      if (res.status >= 500) {
        await this.sleep(500 * 2 ** attempt);
        continue;
      }
      throw new Error(`Spotify answered ${res.status} for ${new URL(url).pathname}`);
    }
  }

  /** Paging links name Spotify's host; keep every request on the configured API base. */
  private rebase(url: string): string {
    const u = new URL(url);
    return `${this.config.apiUrl}${u.pathname}${u.search}`;
  }

  /** All items of an offset-paged (`next`) or cursor-paged (`{artists: {next}}`) collection. */
  async *paged<T>(path: string, unwrap?: string): AsyncGenerator<T> {
    let next: string | null = path;
    while (next) {
      const raw: Record<string, unknown> = await this.get(next);
      const page = (unwrap ? raw[unwrap] : raw) as { items: T[]; next: string | null };
      yield* page.items;
      next = page.next;
    }
  }
}
