/**
 * Token-bucket rate limiting: each key (an IP, a user) may burst up to `capacity` requests and
 * refills at `perMinute`. Buckets live in this process's memory: exact for one server (`next
 * start`, the embedded mode); on serverless each instance limits on its own, which bounds abuse
 * per instance but is not a global quota (a shared store is the next step there).
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until one request is allowed again (for Retry-After). */
  retryAfterSeconds: number;
  remaining: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perMinute: number,
    private readonly capacity = perMinute,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string): RateLimitDecision {
    const t = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updatedAt: t };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (t - bucket.updatedAt) * ratePerMs);
    bucket.updatedAt = t;
    // Map order is insertion order: re-inserting keeps recently used keys at the end.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000)),
      remaining: 0,
    };
  }
}
