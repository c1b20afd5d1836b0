import { importExportFile } from "../lib/connectors/import-file";
import { parseLetterboxd } from "../lib/connectors/letterboxd";
import { openPostgres } from "../lib/db/postgres";
import type { Db } from "../lib/db/types";
import { resolveMedia } from "../lib/media/resolve";
import type { MediaCandidate } from "../lib/media/resolve";
import { signAccessToken } from "../lib/auth/tokens";
import { createUser } from "../lib/users/create";
import { letterboxdExportOf, loadMovieLens } from "../eval/movielens/data";
import { pool } from "./lib/pool";
import { summarise, type Latency } from "./lib/stats";

export interface ImportLevel {
  concurrency: number;
  method: "importer" | "row-by-row" | "http";
  people: number;
  rows: number;
  seconds: number;
  importsPerSecond: number;
  rowsPerSecond: number;
  latencyMs: Latency;
  /** Imports that failed (HTTP: answers other than 200, by status). */
  errors: Record<string, number>;
  /** PostgreSQL's own count of deadlocks in the bench database during the level. */
  deadlocks: number;
}

export interface ConcurrentImportResult {
  driver: "postgres";
  levels: ImportLevel[];
}

interface PersonExport {
  csv: string;
  rows: number;
}

async function deadlockCount(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return row.n;
}

/** An empty catalogue and no favorites, so every level starts from the same state. */
async function reset(db: Db): Promise<void> {
  await db.exec(
    `TRUNCATE canonical_media, media_aliases, media_redirects, favorite_items, connector_accounts, jobs CASCADE`,
  );
}

function level(
  method: ImportLevel["method"],
  concurrency: number,
  people: PersonExport[],
  run: { ms: number; latencies: number[]; errors: Record<string, number> },
  deadlocks: number,
): ImportLevel {
  const rows = people.reduce((s, p) => s + p.rows, 0);
  return {
    concurrency,
    method,
    people: people.length,
    rows,
    seconds: Math.round(run.ms / 10) / 100,
    importsPerSecond: Math.round((people.length / (run.ms / 1000)) * 10) / 10,
    rowsPerSecond: Math.round(rows / (run.ms / 1000)),
    latencyMs: summarise(run.latencies),
    errors: run.errors,
    deadlocks,
  };
}

/**
 * The 943 people of MovieLens 100K as Letterboxd exports (20-737 rows each, one catalogue of
 * 1,682 films they all overlap on), imported at concurrency 1, 4 and 16 on PostgreSQL: the
 * importer, beside the row-by-row baseline (each title resolved in its own transaction, each
 * favorite inserted on its own) on the first `baselinePeople` people. With `serverUrl`, the same
 * imports also go through the HTTP route of a running server on this database.
 */
export async function runConcurrentImportBench(
  url: string,
  options: { levels?: number[]; baselinePeople?: number; serverUrl?: string } = {},
): Promise<ConcurrentImportResult> {
  const data = loadMovieLens();
  const people: PersonExport[] = [...data.ratingsByUser.values()].map((ratings) => ({
    csv: letterboxdExportOf(data, ratings),
    rows: ratings.length,
  }));
  const levels: ImportLevel[] = [];
  for (const concurrency of options.levels ?? [1, 4, 16]) {
    const db = openPostgres(url, { max: concurrency + 1 });
    try {
      await reset(db);
      const users = await Promise.all(people.map(() => createUser(db)));
      let before = await deadlockCount(db);
      const run = await pool(people, concurrency, `importer x${concurrency}`, async (p, i) => {
        const file = { name: "ratings.csv", bytes: new TextEncoder().encode(p.csv), kind: "csv" as const };
        await importExportFile(db, users[i], "letterboxd", file);
        return null;
      });
      levels.push(level("importer", concurrency, people, run, (await deadlockCount(db)) - before));

      const subset = people.slice(0, options.baselinePeople ?? 100);
      await reset(db);
      before = await deadlockCount(db);
      const naive = await pool(subset, concurrency, `row-by-row x${concurrency}`, async (p, i) => {
        const parsed = await parseLetterboxd({
          name: "ratings.csv",
          bytes: new TextEncoder().encode(p.csv),
          kind: "csv",
        });
        for (const d of parsed.drafts) {
          const { id } = await resolveMedia(db, d.candidate as MediaCandidate);
          await db.query(
            `INSERT INTO favorite_items (user_id, media_id, source, rating, added_at) VALUES ($1, $2, 'letterboxd', $3, $4)
             ON CONFLICT DO NOTHING`,
            [users[i], id, d.rating, d.addedAt],
          );
        }
        return null;
      });
      levels.push(level("row-by-row", concurrency, subset, naive, (await deadlockCount(db)) - before));

      if (options.serverUrl && concurrency > 1) {
        await reset(db);
        const tokens = await Promise.all(users.map((u) => signAccessToken(u)));
        before = await deadlockCount(db);
        const http = await pool(people, concurrency, `HTTP x${concurrency}`, async (p, i) => {
          const form = new FormData();
          form.set("file", new Blob([p.csv]), "ratings.csv");
          const res = await fetch(`${options.serverUrl}/api/v2/favorites/import/letterboxd`, {
            method: "POST",
            headers: { authorization: `Bearer ${tokens[i]}` },
            body: form,
          });
          await res.arrayBuffer();
          return res.status === 200 ? null : `HTTP ${res.status}`;
        });
        levels.push(level("http", concurrency, people, http, (await deadlockCount(db)) - before));
      }
    } finally {
      await db.close();
    }
  }
  return { driver: "postgres", levels };
}
