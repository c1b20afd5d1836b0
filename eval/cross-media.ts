import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fromVectorColumn } from "../lib/db/vector";
import type { Db } from "../lib/db/types";
import { hasDemoData, seedDemo } from "../lib/demo/seed";
import { hashToken } from "../lib/embeddings/hashed-directions";
import { unitVector, dot } from "../lib/discovery/diversity";
import { batchJob } from "../lib/job-registry/batch-jobs";
import { defaultJobContext } from "../lib/job-registry/job-context";
import { runBatch } from "../lib/jobs/batch";
import { mean, ndcgAt, precisionAt, recallAt } from "./metrics";
// The same protocol as the MovieLens evaluation: 50 unweighted neighbours vote, top 10.
import { NEIGHBOURS, TOP_N } from "./movielens/cf";

/**
 * Twins across media (issue 19): does a person's taste in some media find the people whose
 * favorites predict the medium they never showed? Every demo person with favorites in two or more
 * media (film, book, music) has one of them held out, chosen by a hash of the seed and the person,
 * before the taste batch runs: their vector is built from the other media only. Each finder's 50
 * neighbours then vote for their visible favorites of the held-out medium (top 10 by votes, ties
 * by popularity), scored against the person's held-out titles. The baseline is the medium's most
 * popular titles; "shared favorites" ranks people by favorites shared in the visible media.
 */

export interface CrossMediaRow {
  finder: string;
  precision: number;
  recall: number;
  ndcg: number;
}

export interface CrossMediaReport {
  users: number;
  viewers: number;
  heldOutPerViewer: number;
  byMedium: Record<string, number>;
  rows: CrossMediaRow[];
  seed: number;
  ranAt: string;
}

interface Fav {
  user: string;
  media: string;
  type: string;
}

async function holdOutOneMedium(db: Db, seed: number): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS eval`);
  await db.query(
    `CREATE TABLE IF NOT EXISTS eval.cross_media_held_out (user_id uuid NOT NULL, media_id text NOT NULL,
       media_type text NOT NULL, PRIMARY KEY (user_id, media_id))`,
  );
  // Once per database: the person's media types in a fixed order, one picked by a hash.
  await db.query(
    `WITH kinds AS (
       SELECT f.user_id, array_agg(DISTINCT m.media_type ORDER BY m.media_type) AS types
       FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id JOIN profiles p ON p.user_id = f.user_id
       WHERE p.is_demo AND NOT EXISTS (SELECT 1 FROM eval.cross_media_held_out)
       GROUP BY f.user_id HAVING count(DISTINCT m.media_type) >= 2
     ), pick AS (
       SELECT user_id, types[1 + (('x' || substr(md5($1 || ':' || user_id::text), 1, 8))::bit(32)::bigint % cardinality(types))::int] AS type
       FROM kinds
     ), hidden AS (
       DELETE FROM favorite_items f USING pick, canonical_media m
       WHERE f.user_id = pick.user_id AND m.id = f.media_id AND m.media_type = pick.type
       RETURNING f.user_id, f.media_id, m.media_type
     )
     INSERT INTO eval.cross_media_held_out SELECT DISTINCT user_id, media_id, media_type FROM hidden ON CONFLICT DO NOTHING`,
    [String(seed)],
  );
}

/** Votes of `neighbours` for their visible titles of `type`; top 10 by votes, ties by popularity. */
function recommend(neighbours: readonly string[], type: string, byUser: Map<string, Fav[]>, pop: Map<string, number>) {
  const votes = new Map<string, number>();
  for (const n of neighbours)
    for (const f of byUser.get(n) ?? []) if (f.type === type) votes.set(f.media, (votes.get(f.media) ?? 0) + 1);
  return [...votes]
    .sort((a, b) => b[1] - a[1] || (pop.get(b[0]) ?? 0) - (pop.get(a[0]) ?? 0) || a[0].localeCompare(b[0]))
    .slice(0, TOP_N)
    .map(([m]) => m);
}

export async function crossMediaEval(
  db: Db,
  options: {
    users: number;
    viewers: number;
    seed: number;
    onProgress?: (stage: string, done: number, total: number) => void;
  },
): Promise<CrossMediaReport> {
  if (!(await hasDemoData(db))) await seedDemo(db, { users: options.users, seed: options.seed });
  await holdOutOneMedium(db, options.seed);
  const ctx = defaultJobContext();
  await runBatch(db, batchJob("taste-vectors", ctx), {
    onProgress: (p) => options.onProgress?.(`taste-vectors: ${p.phaseName}`, p.done, Math.max(p.total ?? 0, p.done)),
  });

  const favs = await db.query<{ user: string; media: string; type: string }>(
    `SELECT DISTINCT f.user_id::text AS user, f.media_id AS media, m.media_type AS type
     FROM favorite_items f JOIN canonical_media m ON m.id = f.media_id`,
  );
  const byUser = new Map<string, Fav[]>();
  const pop = new Map<string, number>();
  for (const f of favs) {
    const list = byUser.get(f.user);
    if (list) list.push(f);
    else byUser.set(f.user, [f]);
    pop.set(f.media, (pop.get(f.media) ?? 0) + 1);
  }
  const held = await db.query<{ user: string; media: string; type: string }>(
    `SELECT user_id::text AS user, media_id AS media, media_type AS type FROM eval.cross_media_held_out`,
  );
  const heldBy = new Map<string, { type: string; titles: Set<string> }>();
  for (const h of held) {
    const e = heldBy.get(h.user) ?? { type: h.type, titles: new Set<string>() };
    e.titles.add(h.media);
    heldBy.set(h.user, e);
  }
  const vectors = new Map(
    (
      await db.query<{ user: string; taste: unknown }>(`SELECT user_id::text AS user, taste FROM user_taste_vectors`)
    ).map((r) => [r.user, unitVector(fromVectorColumn(r.taste))]),
  );
  const people = [...vectors.keys()];
  // Viewers: people with a held-out medium and a vector, in a fixed order of a hash of their id.
  const viewers = [...heldBy.keys()]
    .filter((u) => vectors.has(u))
    .sort((a, b) => hashOf(options.seed, a) - hashOf(options.seed, b) || a.localeCompare(b))
    .slice(0, options.viewers);

  const finders: Record<string, (viewer: string, type: string) => string[]> = {
    "taste vectors (other media)": (v) => {
      const q = vectors.get(v)!;
      const near = people.filter((p) => p !== v).map((p) => [p, dot(q, vectors.get(p)!)] as const);
      return recommendFrom(near, v);
    },
    "shared favorites (other media)": (v) => {
      const mine = new Set((byUser.get(v) ?? []).map((f) => f.media));
      const near = people
        .filter((p) => p !== v)
        .map((p) => [p, (byUser.get(p) ?? []).filter((f) => mine.has(f.media)).length] as const);
      return recommendFrom(near, v);
    },
    random: (v) => {
      const near = people.filter((p) => p !== v).map((p) => [p, hashOf(options.seed + 1, `${v}:${p}`)] as const);
      return recommendFrom(near, v);
    },
  };
  function recommendFrom(scored: (readonly [string, number])[], viewer: string): string[] {
    const top = scored.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, NEIGHBOURS);
    return recommend(
      top.map(([p]) => p),
      heldBy.get(viewer)!.type,
      byUser,
      pop,
    );
  }
  const typeOf = new Map(favs.map((f) => [f.media, f.type]));
  const popularOf = (type: string) =>
    [...pop]
      .filter(([m]) => typeOf.get(m) === type)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP_N)
      .map(([m]) => m);
  const popular = new Map(["film", "book", "music"].map((t) => [t, popularOf(t)]));

  const rows: CrossMediaRow[] = [];
  const lists: [string, (v: string) => string[]][] = [
    ...Object.entries(finders).map(
      ([name, f]) => [name, (v: string) => f(v, heldBy.get(v)!.type)] as [string, (v: string) => string[]],
    ),
    ["popular in the medium", (v) => popular.get(heldBy.get(v)!.type) ?? []],
  ];
  for (const [finder, listOf] of lists) {
    const p: number[] = [];
    const r: number[] = [];
    const n: number[] = [];
    viewers.forEach((v, i) => {
      const list = listOf(v);
      const relevant = heldBy.get(v)!.titles;
      p.push(precisionAt(TOP_N, list, relevant));
      r.push(recallAt(TOP_N, list, relevant));
      n.push(ndcgAt(TOP_N, list, relevant));
      options.onProgress?.(finder, i + 1, viewers.length);
    });
    rows.push({ finder, precision: round(mean(p)), recall: round(mean(r)), ndcg: round(mean(n)) });
  }
  const byMedium: Record<string, number> = {};
  for (const v of viewers) byMedium[heldBy.get(v)!.type] = (byMedium[heldBy.get(v)!.type] ?? 0) + 1;
  return {
    users: vectors.size,
    viewers: viewers.length,
    heldOutPerViewer: round(mean(viewers.map((v) => heldBy.get(v)!.titles.size))),
    byMedium,
    rows,
    seed: options.seed,
    ranAt: new Date().toISOString(),
  };
}

/** FNV-1a of `s`, the seed mixed into its offset basis. */
const hashOf = (seed: number, s: string): number => hashToken(s, (0x811c9dc5 ^ seed) >>> 0);

const round = (x: number) => Math.round(x * 1000) / 1000;

export function writeCrossMediaReport(r: CrossMediaReport, dir: string): string {
  const pop = r.rows.find((x) => x.finder === "popular in the medium")!.ndcg;
  const md = [
    "### Twins across media: one medium held out per person (planted demo data)",
    "",
    "| neighbours found by | Precision@10 | Recall@10 | NDCG@10 | / popular |",
    "| --- | --- | --- | --- | --- |",
    ...r.rows.map(
      (x) => `| ${x.finder} | ${x.precision} | ${x.recall} | ${x.ndcg} | ${pop > 0 ? round(x.ndcg / pop) : "-"} |`,
    ),
    "",
    `- ${r.users} demo people with a taste vector; each with favorites in two or more media has one medium (film, book or music, by a hash of the seed and the person) moved out before the taste batch, so their vector comes from the other media only. ${r.viewers} viewers (held-out medium: ${Object.entries(
      r.byMedium,
    )
      .map(([t, n]) => `${t} ${n}`)
      .join(", ")}), ${r.heldOutPerViewer} held-out titles each on average.`,
    `- Each finder's ${NEIGHBOURS} neighbours vote for their visible favorites of the viewer's held-out medium; top ${TOP_N} by votes, ties by popularity; binary relevance on the held-out titles. Popular = the medium's most favorited titles.`,
    `- Seed ${r.seed}; run ${r.ranAt}.`,
    "",
  ].join("\n");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "eval-cross-media.json"), JSON.stringify(r, null, 2) + "\n");
  writeFileSync(join(dir, "eval-cross-media.md"), md);
  return md;
}
