import type { Db } from "../db/types";
import { isDatabaseUnavailable } from "../db/unavailable";
import { encodeCursor } from "../http/cursor";
import { serveCandidates, serverTiming, type ServeOptions, type StageTimings } from "./pipeline";
import { presentEntry } from "./present";
import type { Locale } from "./types";
import { pageRecheckMs, rememberServedPage, servedPage } from "./served-pages";
import { listenForSlateInvalidations } from "./slate-invalidation";
import type { SlatePage } from "./slate-cache";
import { responseLocale } from "./viewer-locale";
import { localeFromAcceptLanguage } from "./locale";
import { confirmRememberedPage } from "./remembered-page";

/**
 * GET /candidates as the API answers it: one page of the viewer's slate in their language, with
 * the cursor of the next page, and the stage durations for the Server-Timing header.
 */
export async function candidatesPage(
  db: Db,
  viewerId: string,
  request: {
    limit: number;
    offset?: number;
    locale?: Locale;
    acceptLanguage: string | null;
    /** How to build and log the page beyond the defaults (an experiment's variant). */
    serve?: Pick<ServeOptions, "settings" | "logged" | "fresh">;
  },
) {
  const offset = request.offset ?? 0;
  const timings: Partial<StageTimings> = {};
  let page: SlatePage & { cached: boolean; requestId: string };
  let locale: Locale;
  let stale = false;
  try {
    // The request id the page's impressions are logged under (clients send it back with events).
    const logged = { ...request.serve?.logged, requestId: request.serve?.logged?.requestId ?? crypto.randomUUID() };
    void listenForSlateInvalidations(db);
    // A page this process served (not for a staff override, which builds its own slate).
    const remembered = request.serve?.fresh ? null : servedPage(viewerId, offset, request.limit);
    const age = remembered ? Date.now() - remembered.at : Infinity;
    const recheckMs = pageRecheckMs();
    // One request at a time checks a page whose window ended; the others are served from memory
    // meanwhile (up to a second window). All of a busy page's requests rechecking at once queued
    // for the pool every 2 s: that was the cached gate's p99.
    if (remembered && (age < recheckMs || (remembered.rechecking && age < 2 * recheckMs))) {
      // Confirmed live moments ago: from memory, with no database round trip. The same page asked
      // for again within the window is the same impression: it answers under the request id its
      // impressions were logged with, and logs none of its own (a double fetch, a reload or a
      // prefetch would otherwise count the people on it as shown again, skewing exposure counts,
      // the ranker's negatives and experiments' denominators).
      page = { ...remembered.page, cached: true };
      locale = request.locale ?? localeFromAcceptLanguage(request.acceptLanguage) ?? remembered.locale;
    } else {
      if (remembered) remembered.rechecking = true;
      try {
        // A page this process served from the same live slate: from memory, checked in one statement.
        const confirmed = remembered && (await confirmRememberedPage(db, viewerId, offset, remembered.page, logged));
        if (remembered && confirmed) {
          page = { ...remembered.page, cached: true, requestId: logged.requestId };
          locale = request.locale ?? localeFromAcceptLanguage(request.acceptLanguage) ?? confirmed.locale;
        } else {
          const served = await serveCandidates(db, viewerId, {
            ...request.serve,
            logged,
            limit: request.limit,
            offset,
            timings,
          });
          // The ranker's features went into the impressions' log; the page keeps none.
          const { features: _logged, ...built } = served;
          page = built;
          locale = await responseLocale(db, viewerId, request.locale, request.acceptLanguage);
        }
        rememberServedPage(viewerId, offset, request.limit, page, confirmed?.locale ?? locale);
      } finally {
        // Replaced by the page just remembered, or left for the next request to check again.
        if (remembered) remembered.rechecking = false;
      }
    }
  } catch (err) {
    // The database is away or too slow: the page this viewer was last shown, if recent, marked stale.
    const remembered = isDatabaseUnavailable(err) ? servedPage(viewerId, offset, request.limit) : null;
    if (!remembered) throw err;
    page = { ...remembered.page, cached: true };
    locale = request.locale ?? localeFromAcceptLanguage(request.acceptLanguage) ?? remembered.locale;
    stale = true;
  }
  const end = offset + page.items.length;
  // More to read: the slate is longer, or it was cut short and this page was not empty.
  const more = end < page.total || (!page.complete && page.items.length > 0);
  return {
    body: {
      candidates: page.items.map((e) => presentEntry(e, locale)),
      modelVersion: page.modelVersion,
      generatedAt: page.generatedAt,
      cached: page.cached,
      stale,
      nextCursor: more ? encodeCursor({ o: end }) : null,
      requestId: page.requestId,
    },
    // Stage durations only (no ids, no scores): readable in the browser's dev tools and by monitoring.
    serverTiming: stale ? "cache;desc=stale" : serverTiming(timings, page.cached),
  };
}
