"use client";

import { useEffect, type RefObject } from "react";
import type { ApiClient, ClientEvent } from "@/api/client";

/** A card seen for less than this is scrolled past, not looked at. */
const MIN_DWELL_MS = 500;
/** Scrolling that stops this long is a pause on the first card in view. */
const SCROLL_PAUSE_MS = 800;
/** Events wait this long, or until this many, before they go out in one request. */
const FLUSH_EVERY_MS = 15_000;
const FLUSH_AT = 20;
/** A dwell longer than the API accepts (an hour) is a tab left open: it is cut there. */
const MAX_DWELL_MS = 60 * 60 * 1000;

/**
 * Reports how long each candidate card inside `container` was at least half in view (dwell) and
 * where scrolling paused, batched: every 15 s, at 20 events, when the page is hidden or left, and
 * when the carousel unmounts. Sent with keepalive, so a batch sent as the page goes away arrives.
 * The server stores nothing when the person keeps `behaviour` off.
 */
export function useCardAttention(container: RefObject<HTMLElement | null>, api: ApiClient, slateKey: string): void {
  useEffect(() => {
    const root = container.current;
    if (!root || typeof IntersectionObserver === "undefined") return;
    const queue: ClientEvent[] = [];
    const inView = new Map<string, number>(); // card user id -> since (ms)

    const push = (event: Omit<ClientEvent, "id" | "clientTime" | "targetType">) => {
      queue.push({ id: crypto.randomUUID(), targetType: "person", clientTime: new Date().toISOString(), ...event });
      if (queue.length >= FLUSH_AT) flush(false);
    };
    const endDwell = (userId: string, now: number) => {
      const since = inView.get(userId);
      if (since === undefined) return;
      const ms = Math.min(MAX_DWELL_MS, Math.round(now - since));
      if (ms >= MIN_DWELL_MS) push({ kind: "dwell", targetId: userId, dwellMs: ms, context: { surface: "carousel" } });
    };
    function flush(leaving: boolean) {
      const now = performance.now();
      // Close the dwell of what is in view now, and start it again from here.
      for (const userId of [...inView.keys()]) {
        endDwell(userId, now);
        inView.set(userId, now);
      }
      if (queue.length === 0) return;
      const batch = queue.splice(0, queue.length);
      // Attention is a hint: a batch that fails is not retried (the page may be gone), only reported.
      api.sendEvents(batch, { keepalive: leaving }).catch((err: unknown) => {
        console.warn(`mesh: ${batch.length} attention events not sent: ${err instanceof Error ? err.message : err}`);
      });
    }

    const observer = new IntersectionObserver(
      (entries) => {
        const now = performance.now();
        for (const entry of entries) {
          const userId = (entry.target as HTMLElement).dataset.userId;
          if (!userId) continue;
          if (entry.isIntersecting) {
            if (!inView.has(userId)) inView.set(userId, now);
          } else {
            endDwell(userId, now);
            inView.delete(userId);
          }
        }
      },
      { threshold: 0.5 },
    );
    for (const card of root.querySelectorAll<HTMLElement>("[data-user-id]")) observer.observe(card);

    let pauseTimer: ReturnType<typeof setTimeout> | undefined;
    const onScroll = () => {
      clearTimeout(pauseTimer);
      pauseTimer = setTimeout(() => {
        const first = [...inView.keys()][0];
        if (first) push({ kind: "scroll_pause", targetId: first, context: { surface: "carousel" } });
      }, SCROLL_PAUSE_MS);
    };
    const onHidden = () => {
      if (document.visibilityState === "hidden") flush(true);
    };
    const onPageHide = () => flush(true);
    const timer = setInterval(() => flush(false), FLUSH_EVERY_MS);
    root.addEventListener("scroll", onScroll, { passive: true });
    document.addEventListener("visibilitychange", onHidden);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      flush(true);
      observer.disconnect();
      clearInterval(timer);
      clearTimeout(pauseTimer);
      root.removeEventListener("scroll", onScroll);
      document.removeEventListener("visibilitychange", onHidden);
      window.removeEventListener("pagehide", onPageHide);
    };
  }, [container, api, slateKey]);
}
