import { progressBar } from "../../scripts/lib/progress";

/** Runs `work` for each item with at most `concurrency` at a time; per-item latency and errors. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  label: string,
  work: (item: T, index: number) => Promise<string | null>,
): Promise<{ ms: number; latencies: number[]; errors: Record<string, number> }> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const bar = progressBar(`${label} {bar} {value}/{total} | ETA {eta_formatted}`);
  bar.start(items.length, 0);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        const t0 = performance.now();
        const failure = await work(items[i], i).catch((err: Error) => err.message.slice(0, 60));
        latencies.push(performance.now() - t0);
        if (failure) errors[failure] = (errors[failure] ?? 0) + 1;
        bar.increment();
      }
    }),
  );
  bar.stop();
  return { ms: performance.now() - start, latencies, errors };
}
