import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { computeFeatures } from "./features";
import { rankCandidates } from "./ranker/model";
import { distanceBand } from "./present";
import { pickReasons } from "./reasons";
import { retrieveCandidates, type CandidateSource } from "./retrieve";
import { applySafety } from "./safety";
import { selectSlate } from "./select";
import { resolveSettings, type DiscoverySettings } from "./settings";
import { readCachedPage, storeSlate, type SlatePage } from "./slate-cache";
import type { RawCandidate, ScoredCandidate, SlateEntry } from "./types";
import { loadSharedTitles, withSharedTitles } from "./shared-titles";
import { loadDiversityVectors } from "./vectors";
import { loadViewer, type LoadedViewer } from "./viewer";
import { log } from "../log";
import { applyGoals, withGoalReason } from "./goals";
import { applyTune, loadTune, loadTuneSimilarities, tunedViewer, withTuneReason } from "./tune";

export interface BuiltSlate {
  entries: SlateEntry[];
  modelVersion: string;
  /** True when the slate holds every eligible candidate (no longer slate is possible). */
  complete: boolean;
}

/**
 * The taste community a candidate counts toward for the diversity cap: their strongest descriptor
 * (traits come sorted strongest first), else their first declared community.
 */
export function communityOf(raw: RawCandidate): string | null {
  return raw.traits[0]?.label ?? raw.communities[0] ?? null;
}

export function toSlateEntry(c: ScoredCandidate): SlateEntry {
  const titles = c.evidence.bestSharedTitle ? c.raw.sharedTitles : [];
  return {
    userId: c.raw.userId,
    displayName: c.raw.displayName,
    score: Math.round(c.score * 1e6) / 1e6,
    reasons: withTuneReason(c, withGoalReason(c, pickReasons(c, c.raw.sources))),
    sharedFavorites: {
      count: c.evidence.sharedFavoritesCount,
      titles,
      items: titles.map((title, i) => ({ title, coverUrl: c.raw.sharedCovers?.[i] ?? null })),
    },
    // The band only: the exact distance stays on the server (evidence is never cached or served).
    distanceBand: distanceBand(c.evidence.distanceKm),
    contributions: c.contributions,
  };
}

/**
 * The retrieval stage with its fallbacks: ANN when the viewer has a usable vector, topped up with
 * popular + nearby people when ANN finds fewer than a slate's worth (nobody, or only the few people
 * who have vectors yet, as in a fresh database before its first batch) or fails. Only when every
 * source fails is discovery unavailable (503).
 */
async function retrieveWithFallback(
  db: Db,
  loaded: LoadedViewer,
  settings: DiscoverySettings,
): Promise<RawCandidate[]> {
  const { viewer } = loaded;
  const sources: CandidateSource[] = [];
  if (viewer.taste || viewer.embedding) {
    sources.push({
      kind: "ann",
      tasteK: viewer.taste ? settings.tasteK : 0,
      profileK: viewer.embedding ? settings.profileK : 0,
    });
  }
  sources.push({ kind: "fallback", k: settings.fallbackK });
  let failures = 0;
  const pool = new Map<string, RawCandidate>();
  for (const source of sources) {
    try {
      // A person ANN found keeps what ANN knew about them (its similarities and sources).
      for (const c of await retrieveCandidates(db, viewer, source)) if (!pool.has(c.userId)) pool.set(c.userId, c);
      if (pool.size >= settings.minSlateLength) break;
    } catch (err) {
      failures++;
      // The error class and message only: no ids or other personal data in logs.
      log.error(`discovery: ${source.kind} retrieval failed`, err);
    }
  }
  if (failures === sources.length) {
    throw new HttpError(503, "discovery_unavailable", "discovery is temporarily unavailable; try again shortly");
  }
  return [...pool.values()];
}

/** Milliseconds spent in each stage of one uncached request (filled when asked for). */
export interface StageTimings {
  /** The viewer's row, settings, vectors, blocks and the active ranker (one round trip). */
  viewer: number;
  /** ANN (or fallback) and every per-candidate fact: one statement. */
  retrieve: number;
  /** Features, ranker and safety, in memory. */
  rank: number;
  /** The pool's diversity vectors (one round trip), MMR, community cap, fairness, the slate's shared titles (one round trip), slate entries. */
  post: number;
  /** Slate cache, explanations and impressions written (one statement). */
  store: number;
}

/** A Server-Timing header value: each stage's duration in ms, or `cache` for a cached page. */
export function serverTiming(timings: Partial<StageTimings>, cached: boolean): string {
  if (cached) return "cache;desc=hit";
  return Object.entries(timings)
    .map(([stage, ms]) => `${stage};dur=${(ms ?? 0).toFixed(1)}`)
    .join(", ");
}

/** Adds the time since the last lap to `timings[stage]`; a no-op without timings. */
function stopwatch(timings: Partial<StageTimings> | undefined): (stage: keyof StageTimings) => void {
  let last = performance.now();
  return (stage) => {
    if (!timings) return;
    const now = performance.now();
    timings[stage] = (timings[stage] ?? 0) + (now - last);
    last = now;
  };
}

/**
 * One viewer's slate, uncached: load the viewer (and their swipe-to-tune preference) -> candidates
 * (ANN or fallback) -> features -> ranker -> tune -> goals -> safety -> diversity (MMR, community
 * cap) and fairness -> reasons.
 */
export async function buildSlate(
  db: Db,
  viewerId: string,
  length: number,
  overrides: Partial<DiscoverySettings> = {},
  timings?: Partial<StageTimings>,
): Promise<BuiltSlate> {
  const lap = stopwatch(timings);
  const settings = resolveSettings(overrides);
  const loaded = await loadViewer(db, viewerId);
  // Swipe-to-tune: retrieval and features see the viewer's taste moved by their recent likes.
  const tune = await loadTune(db, loaded.viewer);
  const viewer = tunedViewer(loaded.viewer, tune);
  lap("viewer");
  const raw = await retrieveWithFallback(db, { ...loaded, viewer }, settings);
  const similarities = tune ? await loadTuneSimilarities(db, tune, raw) : null;
  lap("retrieve");
  const featured = raw.map((r) => computeFeatures(viewer, r));
  const ranked = rankCandidates(loaded.model, featured);
  const tuned = tune && similarities ? applyTune(ranked, tune, similarities) : ranked;
  const matched = applyGoals(tuned, loaded.viewer);
  const safe = applySafety(matched, { blocked: loaded.blocked, reportPenalty: settings.reportPenalty });
  lap("rank");
  const slateLength = Math.min(safe.length, length);
  // MMR and fairness look a little beyond the slate: the best of the rest can be pulled up.
  const pool = safe.slice(0, Math.min(safe.length, Math.max(3 * slateLength, 100)));
  const vectors =
    settings.mmrLambda < 1
      ? await loadDiversityVectors(
          db,
          pool.map((c) => c.raw.userId),
        )
      : new Map();
  const items = pool.map((c) => ({
    candidate: c,
    score: c.score,
    group: c.raw.auditGroup,
    community: communityOf(c.raw),
    vectors: vectors.get(c.raw.userId),
  }));
  const slate = selectSlate(items, {
    length: slateLength,
    lambda: settings.mmrLambda,
    maxCommunityShare: settings.maxCommunityShare,
    fairnessTolerance: settings.fairnessTolerance,
  }).map((s) => s.candidate);
  // Titles are named for the slate only: a third of the pool, and nobody else is shown.
  const titles = await loadSharedTitles(db, viewerId, slate);
  const entries = slate.map((c) => toSlateEntry(withSharedTitles(c, titles.get(c.raw.userId))));
  lap("post");
  return { entries, modelVersion: loaded.model.version, complete: slateLength === safe.length };
}

export interface ServeOptions {
  limit: number;
  offset: number;
  settings?: Partial<DiscoverySettings>;
  /** Filled with the stage times of an uncached request (benchmarks, Server-Timing). */
  timings?: Partial<StageTimings>;
}

export interface ServedPage extends SlatePage {
  cached: boolean;
}

/**
 * GET /candidates: the cached slate when it is live and long enough (one statement, impressions
 * included); otherwise a new slate, cached with its explanations, the page's impressions logged.
 */
export async function serveCandidates(db: Db, viewerId: string, options: ServeOptions): Promise<ServedPage> {
  const cached = await readCachedPage(db, viewerId, options.offset, options.limit);
  if (cached) return { ...cached, cached: true };
  const settings = resolveSettings(options.settings);
  const built = await buildSlate(
    db,
    viewerId,
    Math.max(options.offset + options.limit, settings.minSlateLength),
    settings,
    options.timings,
  );
  const lap = stopwatch(options.timings);
  const generatedAt = await storeSlate(
    db,
    viewerId,
    { items: built.entries, ids: built.entries.map((e) => e.userId), complete: built.complete },
    built.modelVersion,
    settings.slateTtlSeconds,
    { offset: options.offset, limit: options.limit },
  );
  lap("store");
  return {
    items: built.entries.slice(options.offset, options.offset + options.limit),
    total: built.entries.length,
    complete: built.complete,
    modelVersion: built.modelVersion,
    generatedAt,
    cached: false,
  };
}
