import type { BatchJob, BatchPhase } from "../jobs/batch";
import { METADATA_FETCHER_VARIABLES } from "./fetchers";
import { log } from "../log";
import { ExternalServiceError } from "../outbound";
import type { FetchedMetadata, MediaRecord, MetadataFetcher, MetadataProvider } from "./fetchers/types";
import {
  applyFetched,
  countStaleTitles,
  fetchTitle,
  promotionCandidate,
  staleTitles,
  type RefreshOutcome,
} from "./refresh";
import { lockCatalogueTitles } from "./resolve";

export interface MediaRefreshStats {
  updated: number;
  promoted: number;
  missed: number;
  cachedMisses: number;
  skipped: number;
  /** Titles left stale because their service was failing; the next run asks again. */
  failed: number;
  /** Services given up on for the rest of this invocation, with the last error. */
  down: Partial<Record<MetadataProvider, string>>;
}

/** Small chunks: every title is one to three HTTP calls, MusicBrainz's at most one per second. */
export const MEDIA_REFRESH_CHUNK = 10;

function count(stats: MediaRefreshStats, outcome: RefreshOutcome): void {
  if (outcome.status === "updated") {
    stats.updated++;
    if (outcome.promotedFrom) stats.promoted++;
  } else if (outcome.status === "missed") stats.missed++;
  else if (outcome.status === "cached-miss") stats.cachedMisses++;
  else stats.skipped++;
}

function refreshPhase(fetchers: MetadataFetcher[], now: () => Date, stats: MediaRefreshStats): BatchPhase {
  const byType = new Map(fetchers.map((f) => [f.mediaType, f]));
  const mediaTypes = [...byType.keys()];
  return {
    name: "title metadata",
    total: (db) => countStaleTitles(db, mediaTypes, now()),
    async step(tx, cursor, limit) {
      const titles = await staleTitles(tx, { mediaTypes, after: cursor, limit, now: now() });
      const answers: { title: MediaRecord; fetcher: MetadataFetcher; fetched: FetchedMetadata }[] = [];
      for (const title of titles) {
        const fetcher = byType.get(title.mediaType)!;
        if (stats.down[fetcher.provider]) {
          stats.failed++;
          continue;
        }
        try {
          const result = await fetchTitle(tx, fetcher, title, now());
          if (result.status === "fetched") answers.push({ title, fetcher, fetched: result.fetched });
          else count(stats, result);
        } catch (err) {
          // A failing service must not stall the catalogue: its titles stay stale for the next run.
          // An open breaker fails fast, so one bad service costs at most its threshold of calls.
          if (!(err instanceof ExternalServiceError)) throw err;
          stats.down[fetcher.provider] = err.message;
          log.error(`media-refresh: ${err.message}; its titles stay stale and are asked again on the next run`);
          stats.failed++;
        }
      }
      // Every title lock first, then the rows: the same order imports take them in.
      await lockCatalogueTitles(
        tx,
        answers.map((a) => promotionCandidate(a.title, a.fetched.externalId ?? null)),
      );
      for (const a of answers) count(stats, await applyFetched(tx, a.fetcher, a.title, a.fetched, now()));
      return { processed: titles.length, cursor: titles.at(-1)?.id ?? cursor, done: titles.length < limit };
    },
  };
}

/** Offline: one empty phase whose name says why nothing happens (the CLI and cron route show it). */
function offlinePhase(): BatchPhase {
  return {
    name: `no metadata service enabled (${METADATA_FETCHER_VARIABLES.join(", ")}): nothing to fetch`,
    total: async () => 0,
    step: async () => ({ processed: 0, cursor: null, done: true }),
  };
}

/**
 * The `media-refresh` batch: titles never fetched or fetched over 30 days ago, for the media types
 * whose service is enabled, in resumable chunks.
 */
export function mediaRefreshJob(
  fetchers: MetadataFetcher[],
  now: () => Date = () => new Date(),
): BatchJob & { stats: MediaRefreshStats } {
  const stats: MediaRefreshStats = {
    updated: 0,
    promoted: 0,
    missed: 0,
    cachedMisses: 0,
    skipped: 0,
    failed: 0,
    down: {},
  };
  return {
    name: "media-refresh",
    chunkSize: MEDIA_REFRESH_CHUNK,
    phases: [fetchers.length ? refreshPhase(fetchers, now, stats) : offlinePhase()],
    stats,
  };
}
