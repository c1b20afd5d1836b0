import type { ItemNeighbours } from "../../lib/items/neighbours";
import { scoreHistory } from "../../lib/items/neighbours";
import {
  orderCandidates,
  SIMILAR_CREATORS,
  TRENDING_OVERALL,
  TRENDING_PER_CATEGORY,
} from "../../lib/streams/feed/candidates";
import type { CandidateSource, FeedCandidate } from "../../lib/streams/feed/features";
import type { LiveStream, Viewer } from "./world";

/** How many of the viewer's most watched creators seed the similarity source (as in candidates.ts). */
const HISTORY_CREATORS = 50;

/**
 * Stage 1 in memory, source for source as CANDIDATES_SQL unites them: live streams of creators
 * like those watched (the item engine's scoreHistory), of followed and of watched creators, and the
 * most watched per stated category and overall; then the pipeline's own orderCandidates.
 */
export function stageOne(
  v: Viewer,
  live: readonly LiveStream[],
  history: ReadonlyMap<string, number>,
  neighbours: ItemNeighbours,
): FeedCandidate[] {
  const watched = [...history].sort((a, b) => b[1] - a[1]).slice(0, HISTORY_CREATORS);
  const similar = new Map(
    scoreHistory(
      neighbours,
      watched.map(([item, minutes]) => ({ item, weight: Math.log1p(minutes) })),
      SIMILAR_CREATORS,
    ).map((s) => [s.id, s.score]),
  );
  const byCreator = new Map(live.map((s) => [s.creator.id, s]));
  const sources = new Map<string, { stream: LiveStream; sources: Set<CandidateSource> }>();
  const add = (s: LiveStream | undefined, source: CandidateSource) => {
    if (!s) return;
    const entry = sources.get(s.id) ?? { stream: s, sources: new Set<CandidateSource>() };
    entry.sources.add(source);
    sources.set(s.id, entry);
  };
  for (const id of similar.keys()) add(byCreator.get(id), "similar");
  for (const id of v.follows) add(byCreator.get(id), "followed");
  for (const [id] of watched) add(byCreator.get(id), "watched");
  const popular = [...live].sort((a, b) => b.viewerCount - a.viewerCount);
  for (const category of v.stated)
    popular
      .filter((s) => s.creator.category === category)
      .slice(0, TRENDING_PER_CATEGORY)
      .forEach((s) => add(s, "trending"));
  popular.slice(0, TRENDING_OVERALL).forEach((s) => add(s, "trending"));
  const follows = new Set(v.follows);
  return orderCandidates(
    [...sources.values()].map(({ stream: s, sources: from }) => ({
      id: s.id,
      creatorId: s.creator.id,
      title: s.id,
      category: s.creator.category,
      language: s.creator.language,
      city: "",
      viewerCount: s.viewerCount,
      qualityScore: s.quality,
      liveMinutes: s.liveMinutes,
      similar: similar.get(s.creator.id) ?? 0,
      followed: follows.has(s.creator.id),
      watchedMinutes: history.get(s.creator.id) ?? 0,
      sources: [...from],
    })),
  );
}
