import type { SlatePage } from "./slate-cache";
import type { Locale } from "./types";

/**
 * The pages this process served lately, kept in memory to answer when the database is away: a
 * viewer asking again for a page they were shown gets it back, marked stale, instead of a 503.
 *
 * Only the same viewer, page and size, and only for STALE_PAGE_MAX_AGE_MS: a stale answer shows
 * nothing the viewer has not already seen. This process's own invalidations (feedback, blocks,
 * privacy changes, a new taste vector) forget the pages at once; another instance's reach this one
 * only through the database, which is then away, so a change made elsewhere in the last minutes
 * before an outage may be missing from a stale page, and only for its viewer.
 */
export const STALE_PAGE_MAX_AGE_MS = 10 * 60_000;
const MAX_PAGES = 2_000;

/**
 * How long a page confirmed live in the database is served from memory without asking again
 * (MESH_PAGE_RECHECK_MS, default 2 s; 0 asks every time). Within it a request needs no database
 * at all: it is the same impression as the serve that logged the page (candidates-page.ts). Changes made through this process forget
 * the page at once; other instances' reach it by NOTIFY (slate-invalidation.ts) within
 * milliseconds, and at the latest when the window ends (a lost notification, a serverless
 * instance that does not listen).
 */
export function pageRecheckMs(env = process.env): number {
  const value = Number(env.MESH_PAGE_RECHECK_MS ?? 2_000);
  if (!Number.isInteger(value) || value < 0) throw new Error("MESH_PAGE_RECHECK_MS must be a whole number of ms >= 0");
  return value;
}

interface Remembered {
  /** With the request id its impressions were logged under. */
  page: SlatePage & { requestId: string };
  /** The viewer's profile language when it was served (for a request that names none). */
  locale: Locale;
  /** When it was served from, or confirmed against, the database's live slate. */
  at: number;
  /** A request is checking it against the database now (candidates-page.ts lets one request at a time). */
  rechecking: boolean;
}

const pages = new Map<string, Remembered>();
const keyOf = (viewerId: string, offset: number, limit: number) => `${viewerId}:${offset}:${limit}`;

export function rememberServedPage(
  viewerId: string,
  offset: number,
  limit: number,
  page: SlatePage & { requestId: string },
  locale: Locale,
) {
  const key = keyOf(viewerId, offset, limit);
  pages.delete(key); // re-inserted last: the Map's order is the eviction order
  pages.set(key, { page, locale, at: Date.now(), rechecking: false });
  if (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value!);
}

/** The page served to this viewer at this offset and size within the last ten minutes, if any. */
export function servedPage(viewerId: string, offset: number, limit: number, now = Date.now()): Remembered | null {
  const found = pages.get(keyOf(viewerId, offset, limit));
  return found && now - found.at <= STALE_PAGE_MAX_AGE_MS ? found : null;
}

/** Forgets every remembered page (a notification too large to name its viewers). */
export function forgetAllServedPages(): void {
  pages.clear();
}

/** Forgets these viewers' pages (with invalidateSlates). */
export function forgetServedPagesOf(viewerIds: string[]): void {
  const viewers = new Set(viewerIds);
  for (const key of pages.keys()) if (viewers.has(key.slice(0, key.indexOf(":")))) pages.delete(key);
}

/** Forgets every page that shows this person (with invalidateSlatesShowing). */
export function forgetServedPagesShowing(userId: string): void {
  for (const [key, r] of pages) if (r.page.items.some((e) => e.userId === userId)) pages.delete(key);
}
