"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiClient, ClientEvent } from "@/api/client";

/** The API's ceiling for one watch (12 h): a tab left open longer is cut there. */
const MAX_WATCH_MS = 12 * 60 * 60 * 1000;

interface Watching {
  streamId: string;
  requestId?: string;
  since: number;
}

/**
 * Watching a stream on /live: `toggle` starts watching one (ending the one before) or stops it.
 * Each watch ends as one `watch` event with its length (watchMs) and, when the stream came from a
 * served list, that list's request id (context.requestId): the feed ranker's training label. A
 * watch still open when the page is hidden, left or the row unmounts is sent with keepalive.
 */
export function useStreamWatch(api: ApiClient, surface: string) {
  const [watching, setWatching] = useState<string | null>(null);
  const current = useRef<Watching | null>(null);

  const end = useCallback(
    (leaving: boolean) => {
      const w = current.current;
      if (!w) return;
      current.current = null;
      const event: ClientEvent = {
        id: crypto.randomUUID(),
        kind: "watch",
        targetType: "stream",
        targetId: w.streamId,
        watchMs: Math.min(MAX_WATCH_MS, Math.round(performance.now() - w.since)),
        context: w.requestId ? { surface, requestId: w.requestId } : { surface },
        clientTime: new Date().toISOString(),
      };
      api.sendEvents([event], { keepalive: leaving }).catch((err: unknown) => {
        console.warn(`mesh: watch event not sent: ${err instanceof Error ? err.message : err}`);
      });
    },
    [api, surface],
  );

  useEffect(() => {
    const hidden = () => {
      if (document.visibilityState !== "hidden") return;
      end(true);
      setWatching(null);
    };
    document.addEventListener("visibilitychange", hidden);
    return () => {
      document.removeEventListener("visibilitychange", hidden);
      end(true);
    };
  }, [end]);

  const toggle = useCallback(
    (streamId: string, requestId?: string) => {
      const was = current.current?.streamId;
      end(false);
      if (was === streamId) {
        setWatching(null);
        return;
      }
      current.current = { streamId, requestId, since: performance.now() };
      setWatching(streamId);
    },
    [end],
  );

  return { watching, toggle };
}
