import { fitItemModel } from "../../lib/items/model";
import type { ItemNeighbours } from "../../lib/items/neighbours";
import { pairAccuracy } from "../../lib/items/pairwise";
import { DEFAULT_FEED_RANKER, rankCandidates, type FeedRanker } from "../../lib/streams/feed/ranker";
import { selectFeed } from "../../lib/streams/feed/select";
import type { ServedImpression } from "../../lib/streams/feed/training-data";
import { watchTimePairs } from "../../lib/streams/feed/training-data";
import { fitFeedRanker, splitByRequest } from "../../lib/streams/feed/training";
import { stageOne } from "./stage-one";
import {
  browse,
  DAYS,
  liveStreams,
  makeWorld,
  utility,
  watchMinutes,
  type LiveStream,
  type Viewer,
  type World,
} from "./world";

export const K = 10;

export interface SystemScore {
  system: string;
  ndcg: number;
  binaryNdcg: number;
}

export interface StreamsReport {
  generatedAt: string;
  seed: number;
  creators: number;
  viewers: number;
  trainingDays: number;
  heldOutViewers: number;
  trainingPairs: number;
  heldOutPairs: number;
  pairAccuracy: { default: number; trained: number };
  weights: number[];
  systems: SystemScore[];
}

type History = Map<string, Map<string, number>>;

function record(history: History, v: Viewer, byStream: ReadonlyMap<string, LiveStream>, watched: Map<string, number>) {
  const h = history.get(v.id) ?? new Map<string, number>();
  for (const [id, minutes] of watched) {
    const c = byStream.get(id)!.creator.id;
    h.set(c, (h.get(c) ?? 0) + minutes);
  }
  history.set(v.id, h);
}

function fitNeighbours(history: History): ItemNeighbours {
  const interactions = [...history].flatMap(([person, h]) =>
    [...h].map(([item, minutes]) => ({ person, item, weight: Math.log1p(minutes) })),
  );
  return fitItemModel(interactions).neighbours;
}

const feedIds = (
  ranker: FeedRanker,
  v: Viewer,
  live: readonly LiveStream[],
  h: Map<string, number>,
  nb: ItemNeighbours,
  seed: number,
  diverse = true,
) =>
  selectFeed(rankCandidates(ranker, stageOne(v, live, h, nb), { language: v.language, categories: v.stated }), {
    categoryCap: diverse,
    seed,
    exploration: diverse,
  });

/** Graded NDCG@k: gains are the held-out minutes watched. */
function gradedNdcg(list: readonly string[], gains: ReadonlyMap<string, number>): number {
  let dcg = 0;
  list.slice(0, K).forEach((id, r) => (dcg += (gains.get(id) ?? 0) / Math.log2(r + 2)));
  const ideal = [...gains.values()]
    .sort((a, b) => b - a)
    .slice(0, K)
    .reduce((s, g, r) => s + g / Math.log2(r + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

/**
 * The simulation: days 1-7 viewers browse (organic watching); the item model is fitted; days 8-14
 * each session is served the home feed under the default ranker, and the viewer examines it top
 * down (position bias) and watches what they like: impressions with watch time, as the pipeline
 * logs them. The ranker is trained on those (the batch's own code), the item model refitted; on
 * day 15 every viewer browses everything live (unbiased by any system): held-out watch minutes.
 */
export function runStreamsEval(seed: number): StreamsReport {
  const world: World = makeWorld(seed);
  const { rng } = world;
  const history: History = new Map();
  const half = Math.floor(DAYS / 2);
  for (let day = 1; day <= half; day++) {
    const live = liveStreams(world, day);
    const byId = new Map(live.map((s) => [s.id, s]));
    for (const v of world.viewers) if (rng.chance(0.6)) record(history, v, byId, browse(v, live, 3, rng));
  }
  let neighbours = fitNeighbours(history);
  const impressions: ServedImpression[] = [];
  let request = 0;
  for (let day = half + 1; day <= DAYS; day++) {
    const live = liveStreams(world, day);
    const byId = new Map(live.map((s) => [s.id, s]));
    for (const v of world.viewers) {
      if (rng.chance(0.6)) {
        const requestId = `r${++request}`;
        const h = history.get(v.id) ?? new Map<string, number>();
        const feed = feedIds(DEFAULT_FEED_RANKER, v, live, h, neighbours, request);
        const watched = new Map<string, number>();
        feed.forEach((it, position) => {
          const s = byId.get(it.candidate.id)!;
          const u = utility(v, s);
          const examined = rng.next() < 1 / Math.log2(position + 2);
          const minutes = examined && rng.next() < 1 / (1 + Math.exp(-2 * (u - 2))) ? watchMinutes(u, rng) : 0;
          if (minutes > 0) watched.set(s.id, minutes);
          impressions.push({
            requestId,
            streamId: s.id,
            position: position + 1,
            features: it.features,
            watchMs: minutes * 60_000,
          });
        });
        record(history, v, byId, watched);
      }
      if (rng.chance(0.4)) record(history, v, byId, browse(v, live, 2, rng));
    }
  }
  neighbours = fitNeighbours(history);
  const { train, heldOut } = splitByRequest(watchTimePairs(impressions));
  const trained: FeedRanker = { version: "eval-trained", trained: true, weights: fitFeedRanker(train) };

  const live = liveStreams(world, DAYS + 1);
  const totals = new Map<string, { ndcg: number; binary: number }>();
  let viewers = 0;
  for (const v of world.viewers) {
    const gains = browse(v, live, 5, rng);
    if (gains.size === 0) continue;
    viewers++;
    const watched = new Set(gains.keys());
    const h = history.get(v.id) ?? new Map<string, number>();
    const popular = [...live].sort(
      (a, b) =>
        Number(v.stated.includes(b.creator.category)) - Number(v.stated.includes(a.creator.category)) ||
        b.viewerCount - a.viewerCount,
    );
    const lists: [string, string[]][] = [
      ["popular in category", popular.map((s) => s.id)],
      ["candidates only (stage 1 order)", stageOne(v, live, h, neighbours).map((c) => c.id)],
      [
        "two-stage, default weights",
        feedIds(DEFAULT_FEED_RANKER, v, live, h, neighbours, viewers).map((i) => i.candidate.id),
      ],
      [
        "two-stage, trained ranker (the feed)",
        feedIds(trained, v, live, h, neighbours, viewers).map((i) => i.candidate.id),
      ],
      [
        "two-stage, trained, no caps or exploration",
        feedIds(trained, v, live, h, neighbours, viewers, false).map((i) => i.candidate.id),
      ],
    ];
    for (const [system, list] of lists) {
      const t = totals.get(system) ?? { ndcg: 0, binary: 0 };
      t.ndcg += gradedNdcg(list, gains);
      const top = list.slice(0, K);
      let dcg = 0;
      top.forEach((id, r) => (dcg += watched.has(id) ? 1 / Math.log2(r + 2) : 0));
      let ideal = 0;
      for (let r = 0; r < Math.min(K, watched.size); r++) ideal += 1 / Math.log2(r + 2);
      t.binary += dcg / ideal;
      totals.set(system, t);
    }
  }
  return {
    generatedAt: new Date().toISOString(),
    seed,
    creators: world.creators.length,
    viewers: world.viewers.length,
    trainingDays: DAYS,
    heldOutViewers: viewers,
    trainingPairs: train.length,
    heldOutPairs: heldOut.length,
    pairAccuracy: {
      default: pairAccuracy(heldOut, DEFAULT_FEED_RANKER.weights),
      trained: pairAccuracy(heldOut, trained.weights),
    },
    weights: trained.weights.map((w) => Math.round(w * 1000) / 1000),
    systems: [...totals].map(([system, t]) => ({ system, ndcg: t.ndcg / viewers, binaryNdcg: t.binary / viewers })),
  };
}
