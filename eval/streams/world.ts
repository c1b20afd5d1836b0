import { STREAM_CATEGORIES } from "../../lib/demo/streams";
import { Rng } from "../../lib/random";

/**
 * Demo-like live-stream data for the feed eval, with hidden per-viewer preferences: each creator
 * belongs to a taste cluster and a category; each viewer has hidden affinities to a few clusters
 * and categories and a language. The hidden parts (`hidden`) decide what a viewer watches and are
 * never handed to the pipeline: it sees only watch events, stated categories (a noisy subset of
 * the hidden ones), follows, language, and stream facts (viewers, quality, minutes live).
 */
export const CLUSTERS = 16;
export const DAYS = 14;

export interface Creator {
  id: string;
  category: string;
  language: string;
  /** Hidden: the creator's taste cluster. */
  cluster: number;
  /** How big their audience usually is (Pareto). */
  pull: number;
  quality: number;
}

export interface Viewer {
  id: string;
  language: string;
  stated: string[];
  follows: string[];
  hidden: { clusters: Map<number, number>; categories: Map<string, number> };
}

export interface LiveStream {
  id: string;
  creator: Creator;
  viewerCount: number;
  liveMinutes: number;
  quality: number;
  /** Per-stream noise in how good this broadcast is (hidden). */
  noise: number;
}

export interface World {
  creators: Creator[];
  viewers: Viewer[];
  rng: Rng;
}

export function makeWorld(seed: number, creators = 400, viewers = 800): World {
  const rng = new Rng(seed);
  const cs: Creator[] = Array.from({ length: creators }, (_, i) => ({
    id: `c${i}`,
    category: rng.pick(STREAM_CATEGORIES),
    language: rng.chance(0.7) ? "en" : "es",
    cluster: rng.int(0, CLUSTERS - 1),
    pull: Math.min(2000, 3 / (1 - rng.next()) ** (1 / 1.2)),
    quality: 0.3 + 0.7 * rng.next(),
  }));
  const vs: Viewer[] = Array.from({ length: viewers }, (_, i) => {
    const clusters = new Map(rng.sample([...Array(CLUSTERS).keys()], 2).map((c, k) => [c, k === 0 ? 1 : 0.6]));
    const cats = rng.sample(STREAM_CATEGORIES, 2);
    const categories = new Map(cats.map((c, k) => [c, k === 0 ? 1 : 0.5]));
    // Stated preferences: the favourite category most of the time, sometimes a wrong one too.
    const stated = [...(rng.chance(0.7) ? [cats[0]] : []), ...(rng.chance(0.3) ? [rng.pick(STREAM_CATEGORIES)] : [])];
    return {
      id: `v${i}`,
      language: rng.chance(0.7) ? "en" : "es",
      stated: [...new Set(stated)],
      follows: [],
      hidden: { clusters, categories },
    };
  });
  // Each viewer follows a couple of creators they truly like (from their favourite cluster).
  for (const v of vs) {
    const fav = [...v.hidden.clusters.keys()][0];
    v.follows = rng
      .sample(
        cs.filter((c) => c.cluster === fav),
        rng.int(0, 2),
      )
      .map((c) => c.id);
  }
  return { creators: cs, viewers: vs, rng };
}

/** One day's live streams: about a third of the creators, each with a new stream id. */
export function liveStreams(world: World, day: number): LiveStream[] {
  return world.creators
    .filter(() => world.rng.chance(0.35))
    .map((c) => ({
      id: `s${day}-${c.id}`,
      creator: c,
      viewerCount: Math.round(c.pull * (0.5 + world.rng.next())),
      liveMinutes: world.rng.int(1, 240),
      quality: Math.min(1, Math.max(0, c.quality + 0.1 * (world.rng.next() - 0.5))),
      noise: 0.4 * (world.rng.next() - 0.5),
    }));
}

/** Hidden: how much the viewer would enjoy the stream (never a feature). */
export function utility(v: Viewer, s: LiveStream): number {
  const c = s.creator;
  return (
    2 * (v.hidden.clusters.get(c.cluster) ?? 0) +
    1.2 * (v.hidden.categories.get(c.category) ?? 0) +
    (c.language === v.language ? 0.8 : -0.8) +
    0.15 * Math.log1p(s.viewerCount) +
    0.5 * s.quality +
    s.noise
  );
}

/** Minutes watched when the viewer gives a stream a go: longer the more they like it. */
export function watchMinutes(u: number, rng: Rng): number {
  return Math.max(0, Math.exp(0.9 * u) * (0.5 + rng.next()) - 2);
}

/** An organic session: the viewer browses everything live and watches a few picked by softmax of utility. */
export function browse(v: Viewer, live: readonly LiveStream[], picks: number, rng: Rng): Map<string, number> {
  const weights = live.map((s) => Math.exp(2 * utility(v, s)));
  const total = weights.reduce((a, b) => a + b, 0);
  const watched = new Map<string, number>();
  for (let p = 0; p < picks; p++) {
    let r = rng.next() * total;
    let i = 0;
    while (i < live.length - 1 && r > weights[i]) r -= weights[i++];
    const m = watchMinutes(utility(v, live[i]), rng);
    if (m > 0) watched.set(live[i].id, (watched.get(live[i].id) ?? 0) + m);
  }
  return watched;
}
