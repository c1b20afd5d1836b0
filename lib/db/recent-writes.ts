/**
 * Read-your-own-writes with a lagging replica: the viewers who changed something through this
 * process in the last MESH_READ_YOUR_WRITES_MS (default 10 s, longer than a healthy replica's
 * lag) read from the primary. Per process: another instance learns of the write only through the
 * data itself, so a deployment of several instances either keeps a viewer on one (sticky
 * sessions) or accepts that window on the others.
 */
const lastWrite = new Map<string, number>();
const MAX_TRACKED = 100_000;

export function readYourWritesMs(env = process.env): number {
  const value = Number(env.MESH_READ_YOUR_WRITES_MS ?? 10_000);
  return Number.isFinite(value) && value >= 0 ? value : 10_000;
}

/** Records that this viewer just wrote (the route wrapper calls it after any non-GET request). */
export function noteWrite(viewerId: string, now = Date.now()): void {
  lastWrite.delete(viewerId); // re-inserted last: the Map's order is the eviction order
  lastWrite.set(viewerId, now);
  if (lastWrite.size > MAX_TRACKED) lastWrite.delete(lastWrite.keys().next().value!);
}

/** True when this viewer wrote through this process within the window. */
export function wroteRecently(viewerId: string, now = Date.now(), windowMs = readYourWritesMs()): boolean {
  const at = lastWrite.get(viewerId);
  return at !== undefined && now - at < windowMs;
}
