import type { Db } from "../lib/db/types";
import { NEIGHBOURS_PER_ITEM } from "../lib/items/config";
import { itemKnnNeighbours } from "../lib/items/item-knn";
import { indexNeighbours, scoreHistory, scoreIndexedParts, scoringScratch } from "../lib/items/neighbours";
import { runBatch } from "../lib/jobs/batch";
import { LOVED_SQL, NEXT_TITLES, nextTitlesPhase, TITLES_HELD_WEIGHT, titleMatrices } from "../lib/taste/next-titles";
import { startBar } from "../scripts/lib/progress";

/** People whose lists both scorers compute (the baseline is the slow one). */
const SCORING_SAMPLE = 20_000;

export interface NextTitlesBenchResult {
  /** The whole phase (fit, then every person in chunks), as the taste-vectors job runs it. */
  seconds: number;
  /** The fit: the first chunk's time less the mean of the others. */
  fitSeconds: number;
  /** People per second after the fit. */
  peoplePerSecond: number;
  /** Hours for 10M people: the fit once, then people at the measured rate (one worker). */
  hoursFor10M: number;
  algorithm: string;
  /** Scoring alone, item-kNN: the production scorer against the per-request one, same people and model. */
  scoring: { people: number; indexedMs: number; perRequestMs: number; sameLists: number };
}

/**
 * The next-titles phase (lib/taste/next-titles.ts) over the bench's people, and its scorer
 * (both models' numbered neighbour lists in one pass, scoreIndexedParts) against the per-request
 * scorer (scoreHistory, each model in turn, summed by title) on the same people and lists.
 */
export async function timeNextTitles(
  db: Db,
  users: number,
  now: Date,
  chunkSize: number,
): Promise<NextTitlesBenchResult> {
  const bar = startBar("next titles", users);
  const marks: number[] = [];
  const started = performance.now();
  await runBatch(
    db,
    { name: "bench-next-titles", chunkSize, phases: [nextTitlesPhase(() => now)] },
    {
      onProgress: (p) => {
        marks.push(performance.now());
        bar.update(p.done);
      },
    },
  );
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  const chunks = marks.map((t, i) => (t - (i ? marks[i - 1] : started)) / 1000);
  const rest = chunks.slice(1);
  const meanChunk = rest.length ? rest.reduce((a, b) => a + b, 0) / rest.length : 0;
  const fitSeconds = Math.max(0, chunks[0] - meanChunk);
  const peoplePerSecond = seconds - fitSeconds > 0 ? users / (seconds - fitSeconds) : 0;
  const [model] = await db.query<{ algorithm: string }>(
    "SELECT algorithm FROM item_models WHERE scenario = 'titles' ORDER BY trained_at DESC LIMIT 1",
  );
  return {
    seconds: round(seconds),
    fitSeconds: round(fitSeconds),
    peoplePerSecond: Math.round(peoplePerSecond),
    hoursFor10M: round((fitSeconds + 10_000_000 / peoplePerSecond) / 3600),
    algorithm: model?.algorithm ?? "none",
    scoring: await compareScorers(db),
  };
}

async function compareScorers(db: Db): Promise<NextTitlesBenchResult["scoring"]> {
  const rows = await db.query<{ person: string; item: string; loved: boolean }>(
    `SELECT f.user_id::text AS person, f.media_id::text AS item, ${LOVED_SQL} AS loved
     FROM favorite_items f
     WHERE f.user_id IN (SELECT DISTINCT user_id FROM favorite_items ORDER BY user_id LIMIT $1)
     GROUP BY f.user_id, f.media_id ORDER BY 1, 2`,
    [SCORING_SAMPLE],
  );
  const { held, loved } = titleMatrices(rows);
  const lists = [loved, held].map((m) => itemKnnNeighbours(m, NEIGHBOURS_PER_ITEM));
  const indexed = lists.map((l) => indexNeighbours(l, held.items));
  const scratch = scoringScratch(indexed[1]);
  const lovedOf = new Set(rows.filter((r) => r.loved).map((r) => `${r.person} ${r.item}`));
  const people = held.byPerson.map((row, p) => ({
    held: row.items,
    loved: row.items.filter((i) => lovedOf.has(`${held.people[p]} ${held.items[i]}`)),
  }));
  const weights = (items: Int32Array, w: number) => new Float64Array(items.length).fill(w);
  let t = performance.now();
  const fast = people.map((p) =>
    scoreIndexedParts(
      [
        { neighbours: indexed[0], items: p.loved, weights: weights(p.loved, 1) },
        { neighbours: indexed[1], items: p.held, weights: weights(p.held, TITLES_HELD_WEIGHT) },
      ],
      NEXT_TITLES,
      scratch,
    ).map((x) => x.id),
  );
  const indexedMs = performance.now() - t;
  t = performance.now();
  const slow = people.map((p) => {
    const own = new Set([...p.held].map((i) => held.items[i]));
    const sum = new Map<string, number>();
    for (const [list, items, w] of [
      [lists[0], p.loved, 1],
      [lists[1], p.held, TITLES_HELD_WEIGHT],
    ] as const) {
      const history = [...items].map((i) => ({ item: held.items[i], weight: w }));
      for (const x of scoreHistory(list, history, Number.MAX_SAFE_INTEGER, own))
        sum.set(x.id, (sum.get(x.id) ?? 0) + x.score);
    }
    return [...sum]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, NEXT_TITLES)
      .map(([id]) => id);
  });
  const perRequestMs = performance.now() - t;
  const sameLists = fast.filter((l, i) => l.join() === slow[i].join()).length;
  return { people: people.length, indexedMs: Math.round(indexedMs), perRequestMs: Math.round(perRequestMs), sameLists };
}

const round = (x: number) => Math.round(x * 100) / 100;
