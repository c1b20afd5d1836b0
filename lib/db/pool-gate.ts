import { writeFileSync } from "node:fs";

/** Upper bounds (ms) of the wait histogram's buckets; the last bucket is everything above. */
export const POOL_WAIT_BUCKETS_MS = [0.1, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] as const;

/** What a pool's waits looked like since it opened (counts only grow: diff two snapshots). */
export interface PoolStats {
  size: number;
  /** Statements and transactions that asked for a connection. */
  acquired: number;
  /** Of those, the ones that found every connection busy and queued. */
  queued: number;
  waitMsTotal: number;
  waitMsMax: number;
  /** Waits per bucket of POOL_WAIT_BUCKETS_MS (plus one for longer). */
  buckets: number[];
  /** Queued right now. */
  waiting: number;
}

/**
 * A FIFO gate of `size` permits in front of a postgres.js pool of the same size: a statement or a
 * transaction holds one while it runs, so the pool itself never queues and the time spent waiting
 * for a connection is measured here (postgres.js keeps no such figure).
 */
export class PoolGate {
  private free: number;
  private readonly queue: (() => void)[] = [];
  private readonly stats: PoolStats;

  constructor(readonly size: number) {
    this.free = size;
    this.stats = {
      size,
      acquired: 0,
      queued: 0,
      waitMsTotal: 0,
      waitMsMax: 0,
      buckets: POOL_WAIT_BUCKETS_MS.map(() => 0).concat(0),
      waiting: 0,
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  snapshot(): PoolStats {
    return { ...this.stats, buckets: [...this.stats.buckets], waiting: this.queue.length };
  }

  private async acquire(): Promise<void> {
    this.stats.acquired++;
    if (this.free > 0) {
      this.free--;
      this.record(0);
      return;
    }
    this.stats.queued++;
    const start = performance.now();
    await new Promise<void>((resolve) => this.queue.push(resolve));
    this.record(performance.now() - start);
  }

  private release(): void {
    const next = this.queue.shift();
    if (next)
      next(); // the permit passes straight to the next in line
    else this.free++;
  }

  private record(ms: number): void {
    this.stats.waitMsTotal += ms;
    this.stats.waitMsMax = Math.max(this.stats.waitMsMax, ms);
    const i = POOL_WAIT_BUCKETS_MS.findIndex((b) => ms <= b);
    this.stats.buckets[i === -1 ? POOL_WAIT_BUCKETS_MS.length : i]++;
  }
}

/**
 * MESH_POOL_STATS_FILE: the server writes its pools' stats there every second (the load test
 * reads them; nothing else does). Unset, nothing is written.
 */
export function reportPoolStats(name: string, gate: PoolGate, env = process.env): () => void {
  const file = env.MESH_POOL_STATS_FILE;
  if (!file) return () => {};
  const path = `${file}.${name}.json`;
  const timer = setInterval(() => writeFileSync(path, JSON.stringify(gate.snapshot())), 1_000);
  timer.unref();
  return () => clearInterval(timer);
}
