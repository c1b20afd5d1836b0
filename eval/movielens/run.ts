import { migrate } from "../../lib/db/migrate";
import { openPostgres } from "../../lib/db/postgres";
import { loadMovieLens } from "./data";
import { evaluateMovieLens, type SplitReport } from "./evaluate";
import { prepareMovieLens } from "./prepare";
import type { MovieLensReport } from "./report";
import { splitRatings, type SplitKind } from "./split";

export const ML_EVAL_DATABASE = "mesh_eval_ml100k";

/** url with its database name replaced. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The MovieLens 100K evaluation on PostgreSQL: for each split, a fresh database of its own
 * (mesh_eval_ml100k on the server `url` names, dropped and re-created), imports, batch jobs,
 * evaluation.
 */
export async function runMovieLensEval(
  url: string,
  options: {
    splits: SplitKind[];
    seed: number;
    annViewers: number;
    onProgress?: (stage: string, done: number, total: number) => void;
  },
): Promise<MovieLensReport> {
  const data = loadMovieLens();
  const reports: SplitReport[] = [];
  for (const kind of options.splits) {
    const admin = openPostgres(url, { max: 1 });
    try {
      await admin.exec(`DROP DATABASE IF EXISTS ${ML_EVAL_DATABASE} WITH (FORCE)`);
      await admin.exec(`CREATE DATABASE ${ML_EVAL_DATABASE}`);
    } finally {
      await admin.close();
    }
    const db = openPostgres(withDatabase(url, ML_EVAL_DATABASE), { max: 5 });
    try {
      await migrate(db);
      const split = splitRatings(data, kind, options.seed);
      const prepared = await prepareMovieLens(db, data, split, options.onProgress);
      reports.push(await evaluateMovieLens(db, data, split, prepared, options));
    } finally {
      await db.close();
    }
  }
  return {
    generatedAt: new Date().toISOString(),
    dataset: "ml-100k",
    driver: "postgres",
    seed: options.seed,
    splits: reports,
  };
}
