import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { computeFeatures } from "./features";
import { rankCandidates } from "./ranker/model";
import { distanceBand } from "./present";
import { pickReasons } from "./reasons";
import { retrieveCandidates, type CandidateSource } from "./retrieve";
import { applySafety } from "./safety";
import { COMMUNITY_WINDOW, communityCap, diversify, selectSlate } from "./select";
import { resolveSettings, type DiscoverySettings } from "./settings";
import { readCachedPage, storeSlate, type FeaturedPage, type ImpressionContext } from "./slate-cache";
import type { FeatureVector, RawCandidate, ScoredCandidate, SlateEntry } from "./types";
import { loadSharedTitles, withSharedTitles } from "./shared-titles";
import { loadDiversityVectors } from "./vectors";
import { loadVoteFacts, orderByVoteSet } from "./vote-set-stage";
import { loadViewer, type LoadedViewer } from "./viewer";
import { log } from "../log";
import { applyGoals, withGoalReason } from "./goals";
import { applyTune, loadTune, loadTuneSimilarities, tunedViewer, withTuneReason } from "./tune";
import { explorationRng, exploreSlate, loadExposureCounts } from "./explore";
import type { RankerModel } from "./types";

export interface BuiltSlate {
  entries: SlateEntry[];
  modelVersion: string;
  /** True when the slate holds every eligible candidate (no longer slate is possible). */
  complete: boolean;
  /** The features the ranker saw for each entry (by user id): logged with the impressions. */
  features: Record<string, FeatureVector>;
}

/**
 * The taste community a candidate counts toward for the diversity cap: their strongest descriptor
 * (traits come sorted strongest first), else their first declared community.
 */
export function communityOf(raw: RawCandidate): string | null {
  return raw.traits[0]?.label ?? raw.communities[0] ?? null;
}

export function toSlateEntry(c: ScoredCandidate, explored = false): SlateEntry {
  const titles = c.evidence.bestSharedTitle ? c.raw.sharedTitles : [];
  return {
    ...(explored ? { explored: true } : {}),
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
  /** The vote set's facts (one round trip), the pool's diversity vectors (one round trip), MMR, community cap, fairness, the slate's shared titles (one round trip), slate entries. */
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

/** What a slate may be built with besides settings: a ranker version to serve (an experiment's variant). */
export type SlateOverrides = Partial<DiscoverySettings> & { model?: RankerModel };

/** The exploration step: a no-op at rate 0; otherwise under-exposed people fill some slots. */
async function withExploration(
  db: Db,
  selected: ScoredCandidate[],
  eligible: ScoredCandidate[],
  settings: DiscoverySettings,
): Promise<{ slate: ScoredCandidate[]; explored: Set<string> }> {
  if (settings.explorationRate <= 0 || selected.length < 2) return { slate: selected, explored: new Set() };
  const inSlate = new Set(selected.map((c) => c.raw.userId));
  const rest = eligible.filter((c) => !inSlate.has(c.raw.userId)).slice(0, 300);
  const exposures = await loadExposureCounts(
    db,
    [...selected, ...rest].map((c) => c.raw.userId),
  );
  return exploreSlate(selected, rest, exposures, settings.explorationRate, explorationRng(settings.explorationSeed));
}

/** Features to 6 decimals: what the log keeps (training reads these, not recomputed ones). */
function roundedFeatures(features: FeatureVector): FeatureVector {
  return Object.fromEntries(Object.entries(features).map(([f, v]) => [f, Math.round(v * 1e6) / 1e6])) as FeatureVector;
}

/**
 * One viewer's slate, uncached: load the viewer (and their swipe-to-tune preference) -> candidates
 * (ANN or fallback) -> features -> ranker -> tune -> goals -> safety -> vote set -> diversity (MMR,
 * community cap) and fairness -> reasons.
 */
export async function buildSlate(
  db: Db,
  viewerId: string,
  length: number,
  overrides: SlateOverrides = {},
  timings?: Partial<StageTimings>,
): Promise<BuiltSlate> {
  const lap = stopwatch(timings);
  const { model, ...settingOverrides } = overrides;
  const settings = resolveSettings(settingOverrides);
  const viewerRow = await loadViewer(db, viewerId);
  const loaded = model ? { ...viewerRow, model } : viewerRow;
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
  const best = safe.slice(0, Math.min(safe.length, Math.max(3 * slateLength, 100)));
  const vectors =
    settings.mmrLambda < 1
      ? await loadDiversityVectors(
          db,
          best.map((c) => c.raw.userId),
        )
      : new Map();
  const items = best.map((c) => ({
    candidate: c,
    score: c.score,
    group: c.raw.auditGroup,
    community: communityOf(c.raw),
    vectors: vectors.get(c.raw.userId),
  }));
  const selectOptions = {
    length: slateLength,
    lambda: settings.mmrLambda,
    maxCommunityShare: settings.maxCommunityShare,
    fairnessTolerance: settings.fairnessTolerance,
  };
  // The vote set: after the first page (the closest twins, diversified as ever), the slate's people
  // are chosen together for the titles their favorites point the viewer to (vote-set-stage.ts).
  const facts = settings.voteSet
    ? await loadVoteFacts(
        db,
        viewerId,
        best.map((c) => c.raw.userId),
      )
    : null;
  let selected: ScoredCandidate[];
  if (facts) {
    const page = diversify(items, { ...selectOptions, length: Math.min(settings.voteSetPinned, slateLength) });
    const onPage = new Set(page);
    const ordered = orderByVoteSet([...page, ...items.filter((i) => !onPage.has(i))], facts, {
      of: (i) => i.candidate,
      length: slateLength,
      pinned: page.length,
      community: (i) => i.community,
      cap: communityCap(settings.maxCommunityShare, COMMUNITY_WINDOW),
      window: COMMUNITY_WINDOW,
    });
    // In that order (scores falling with it): MMR has had its say on the first page already.
    selected = selectSlate(
      ordered.map((i, rank) => ({ ...i, score: 1 - rank / ordered.length })),
      { ...selectOptions, lambda: 1 },
    ).map((s) => s.candidate);
  } else {
    selected = selectSlate(items, selectOptions).map((s) => s.candidate);
  }
  const { slate, explored } = await withExploration(db, selected, safe, settings);
  // Titles are named for the slate only: a third of the pool, and nobody else is shown.
  const titles = await loadSharedTitles(db, viewerId, slate);
  const entries = slate.map((c) =>
    toSlateEntry(withSharedTitles(c, titles.get(c.raw.userId)), explored.has(c.raw.userId)),
  );
  lap("post");
  const features = Object.fromEntries(slate.map((c) => [c.raw.userId, roundedFeatures(c.features)]));
  return { entries, modelVersion: loaded.model.version, complete: slateLength === safe.length, features };
}

export interface ServeOptions {
  limit: number;
  offset: number;
  settings?: SlateOverrides;
  /** Build a new slate even when a cached one is live (a staff override of the experiment variant). */
  fresh?: boolean;
  /** Filled with the stage times of an uncached request (benchmarks, Server-Timing). */
  timings?: Partial<StageTimings>;
  /** Logged with the page's impressions (a request id is made when none is given). */
  logged?: ImpressionContext;
}

export interface ServedPage extends FeaturedPage {
  cached: boolean;
  /** The id the page's impressions are logged under; clients send it back as events' context.requestId. */
  requestId: string;
}

/**
 * GET /candidates: the cached slate when it is live and long enough (one statement, impressions
 * included); otherwise a new slate, cached with its explanations, the page's impressions logged.
 */
export async function serveCandidates(db: Db, viewerId: string, options: ServeOptions): Promise<ServedPage> {
  const logged = { ...options.logged, requestId: options.logged?.requestId ?? crypto.randomUUID() };
  const cached = options.fresh ? null : await readCachedPage(db, viewerId, options.offset, options.limit, logged);
  if (cached) return { ...cached, cached: true, requestId: logged.requestId };
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
    {
      items: built.entries,
      ids: built.entries.map((e) => e.userId),
      complete: built.complete,
      features: built.features,
    },
    built.modelVersion,
    settings.slateTtlSeconds,
    { offset: options.offset, limit: options.limit },
    logged,
  );
  lap("store");
  const items = built.entries.slice(options.offset, options.offset + options.limit);
  return {
    items,
    features: Object.fromEntries(
      items.flatMap((e) => (built.features[e.userId] ? [[e.userId, built.features[e.userId]]] : [])),
    ),
    total: built.entries.length,
    complete: built.complete,
    modelVersion: built.modelVersion,
    generatedAt,
    cached: false,
    requestId: logged.requestId,
  };
}
