import type { Db } from "../db/types";
import { configuredJobContext } from "./context";
import { allJobHandlers } from "./all-handlers";
import { drainQueue } from "./worker";
import { log } from "../log";

/**
 * Embedded mode has no Edge Function: the server process drains the queue itself every few
 * seconds, so a user's taste vector reflects an import within seconds. Returns a stop function.
 */
export function startInProcessWorker(db: Db, options: { intervalMs?: number; budgetMs?: number } = {}): () => void {
  const handlers = allJobHandlers(configuredJobContext(), { batchBudgetMs: options.budgetMs ?? 10_000 });
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      await drainQueue(db, handlers, { budgetMs: options.budgetMs ?? 10_000 });
    } catch (err) {
      log.error("in-process worker", err);
    }
    if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 2_000);
  };
  timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
