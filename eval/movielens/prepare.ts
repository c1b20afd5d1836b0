import { importExportFile } from "../../lib/connectors/import-file";
import type { Db } from "../../lib/db/types";
import { defaultJobContext } from "../../lib/job-registry/job-context";
import { batchJob } from "../../lib/job-registry/batch-jobs";
import { runBatch } from "../../lib/jobs/batch";
import { createUser } from "../../lib/users/create";
import { exportNames, letterboxdExportOf, type MovieLens, type MovieLensRating } from "./data";
import type { Split } from "./split";

export interface Prepared {
  /** MovieLens person id -> the product's user id, and back. */
  userOf: Map<number, string>;
  personOf: Map<string, number>;
  importSeconds: number;
  batchSeconds: Record<string, number>;
  /** Titles in the catalogue after the imports (distinct films in the training exports). */
  catalogueTitles: number;
  trainingFilms: number;
}

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * Loads one split into an empty, migrated database the way people would arrive: an account
 * each, their training ratings as a Letterboxd ratings.csv through the importer
 * (importExportFile, what POST /api/v2/favorites/import/letterboxd calls), the data set's gender
 * as the fairness audit attribute, then the batch jobs serving reads.
 */
export async function prepareMovieLens(
  db: Db,
  data: MovieLens,
  split: Split,
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<Prepared> {
  const names = exportNames(data.films);
  const people = [...split.train.keys()].sort((a, b) => a - b);
  const userOf = new Map<number, string>();
  for (const p of people) userOf.set(p, await createUser(db, { displayName: `ml-${p}` }));
  let started = performance.now();
  let done = 0;
  await inParallel(people, 4, async (p) => {
    const ratings: MovieLensRating[] = split.train
      .get(p)!
      .map((r) => ({ user: p, film: r.item, rating: r.rating, at: r.at }));
    const csv = letterboxdExportOf(data, ratings, names);
    const file = { name: "ratings.csv", bytes: new TextEncoder().encode(csv), kind: "csv" as const };
    await importExportFile(db, userOf.get(p)!, "letterboxd", file);
    onProgress?.("importing Letterboxd exports", ++done, people.length);
  });
  const importSeconds = (performance.now() - started) / 1000;
  await db.query(
    `INSERT INTO fairness_audit_attributes (user_id, audit_group)
     SELECT id::uuid, g FROM unnest($1::text[], $2::text[]) AS t(id, g)`,
    [people.map((p) => userOf.get(p)!), people.map((p) => data.people.get(p)!.gender)],
  );
  // The import queued a re-embed per person; the batch below does the same work for everyone.
  await db.exec(`DELETE FROM jobs`);
  const ctx = defaultJobContext();
  const batchSeconds: Record<string, number> = {};
  for (const name of ["embeddings", "taste-vectors", "profile-embeddings", "traits"] as const) {
    started = performance.now();
    await runBatch(db, batchJob(name, ctx), {
      onProgress: (p) => onProgress?.(`${name}: ${p.phaseName}`, p.done, Math.max(p.total ?? 0, p.done)),
    });
    batchSeconds[name] = Math.round(performance.now() - started) / 1000;
  }
  const [cat] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM canonical_media`);
  const films = new Set<string>();
  for (const rs of split.train.values()) for (const r of rs) films.add(r.film);
  return {
    userOf,
    personOf: new Map([...userOf].map(([p, u]) => [u, p])),
    importSeconds,
    batchSeconds,
    catalogueTitles: cat.n,
    trainingFilms: films.size,
  };
}
