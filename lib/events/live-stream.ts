import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { log } from "../log";
import { readBehaviourFeatures } from "./features";
import { subscribeBehaviour } from "./live";

/** A comment line this often keeps proxies from closing an idle stream. */
export const LIVE_HEARTBEAT_MS = 25_000;

const encoder = new TextEncoder();
const sseEvent = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

/**
 * The person's behaviour features as server-sent events: `features` at once (the current state),
 * then again each time their stored events change them, until the client goes away. Notices come
 * through the database (lib/events/live.ts), so this works across server instances; reads are
 * serialised so a burst of notices never reorders what the page sees.
 */
export async function behaviourStream(db: Db, userId: string, signal: AbortSignal): Promise<Response> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let chain = Promise.resolve();
  const push = () => {
    chain = chain.then(async () => {
      if (closed) return;
      try {
        controller.enqueue(sseEvent("features", await readBehaviourFeatures(db, userId)));
      } catch (err) {
        log.error("live channel: features read failed", err);
      }
    });
  };
  const unsubscribe = await subscribeBehaviour(db, userId, push).catch((err: unknown) => {
    log.error("live channel: cannot LISTEN", err);
    throw new HttpError(
      503,
      "live_unavailable",
      "live updates are unavailable on this server; reload the page for the latest",
    );
  });
  const heartbeat = setInterval(() => {
    if (!closed) controller.enqueue(encoder.encode(": keepalive\n\n"));
  }, LIVE_HEARTBEAT_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    try {
      controller.close();
    } catch {
      // Already closed by the client's cancel: nothing left to close.
    }
  };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      // Reconnect after 3 s if the connection drops (EventSource honours it; our hook too).
      c.enqueue(encoder.encode("retry: 3000\n\n"));
      push();
    },
    cancel: close,
  });
  signal.addEventListener("abort", close, { once: true });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: compression would hold events back until a buffer fills.
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
