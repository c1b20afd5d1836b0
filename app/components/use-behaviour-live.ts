"use client";

import { useEffect, useState } from "react";
import { ApiError, type ApiClient } from "@/api/client";
import { readServerSentEvents } from "@/api/server-sent-events";
import type { BehaviourFeatures } from "@/lib/events/features";

/** Wait before reconnecting a dropped stream (the server's `retry:` says the same). */
const RECONNECT_MS = 3_000;

export interface BehaviourLive {
  /** Null until the first answer. */
  features: BehaviourFeatures | null;
  /** The API's message when it refused the stream (then no more updates come). */
  error: string | null;
}

/**
 * The signed-in person's behaviour features, kept current by GET /api/v2/events/live while the
 * component is mounted. A dropped stream reconnects after 3 s; an error answer (e.g. the live
 * channel unavailable) is final and is returned for the page to show.
 */
export function useBehaviourLive(api: ApiClient): BehaviourLive {
  const [features, setFeatures] = useState<BehaviourFeatures | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const res = await api.behaviourLive(abort.signal);
        for await (const e of readServerSentEvents(res.body!)) {
          if (e.event === "features") setFeatures(JSON.parse(e.data) as BehaviourFeatures);
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        // An answer with an error status is final; a broken connection is worth another try.
        if (err instanceof ApiError) return setError(err.message);
      }
      if (!abort.signal.aborted) timer = setTimeout(() => void connect(), RECONNECT_MS);
    };
    void connect();
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api]);
  return { features, error };
}
