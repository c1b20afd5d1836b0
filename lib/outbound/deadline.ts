import { AsyncLocalStorage } from "node:async_hooks";

const deadlines = new AsyncLocalStorage<number>();

/**
 * Runs `fn` with a cap on the time its external calls may take in all (a route's budget): every
 * call inside gets at most the time left, and none starts once it is spent. Nested caps keep the
 * earlier deadline.
 */
export function withOutboundDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const outer = deadlines.getStore();
  const at = Math.min(outer ?? Infinity, Date.now() + ms);
  return deadlines.run(at, fn);
}

/** Milliseconds left under the caller's cap; Infinity outside one (a job). */
export function outboundTimeLeft(): number {
  const at = deadlines.getStore();
  return at === undefined ? Infinity : at - Date.now();
}
