import { prepareHnswBuild } from "../db/hnsw";
import type { DriverKind, Queryable } from "../db/types";
import type { TasteModel } from "./pca-model";
import { computeTasteVectors } from "./taste-vectors";
import { MIN_FAVORITES } from "./weights";

/**
 * The bulk path for a first build or a PCA refit, when (nearly) every user's vector is new.
 *
 * Writing a vector into user_taste_vectors is an HNSW insertion, which costs about five times
 * computing it; over 10M users that is ~10 h on one worker. Instead the vectors go into
 * `user_taste_vectors_build`, a copy of the table's columns and keys without the HNSW index; the
 * index is then built once over the full table (a bulk build: in memory, parallel workers on
 * PostgreSQL), and the two tables are swapped in one short transaction. Serving reads the old
 * vectors until the swap, then the new ones: there is never a half-built index or a mix of models.
 *
 * The build table's existence is the run's state: a chunk that created it committed, and a killed
 * run resumes on it. Changes made while the build runs (a favorites edit or import, a privacy
 * change, the re-embed worker writing the serving table) are caught up at the swap: those users
 * are recomputed into the build table under the lock. A deleted account's rows go with it, from
 * either table (both reference auth.users ON DELETE CASCADE).
 */
export const BUILD_TABLE = "user_taste_vectors_build";

/** Below this backlog the per-row path finishes in about a minute; a bulk build is not worth it. */
export const BULK_MIN_USERS = 20_000;

const SERVING_INDEX = "user_taste_vectors_taste_hnsw";
const BUILD_INDEX = "user_taste_vectors_build_taste_hnsw";

export const BULK_MODES = ["auto", "always", "never"] as const;
export type BulkMode = (typeof BULK_MODES)[number];

export async function bulkBuildInProgress(db: Queryable): Promise<boolean> {
  const [row] = await db.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`public.${BUILD_TABLE}`]);
  return row.ok;
}

/**
 * Whether this run should build in bulk: when asked to, or (auto) when at least half the users who
 * will have a vector, and at least BULK_MIN_USERS, have none under the current model: a first
 * build or a refit. Users without enough favorites never get a vector, so they are not backlog
 * (counting every profile would send a product where most people have no favorites into a bulk
 * rebuild every night); the favorites are only counted when the profiles leave the question open.
 */
export async function shouldBuildInBulk(
  db: Queryable,
  model: TasteModel,
  mode: BulkMode,
  minUsers = BULK_MIN_USERS,
): Promise<boolean> {
  if (mode !== "auto") return mode === "always";
  const [row] = await db.query<{ users: number; current: number }>(
    `SELECT (SELECT count(*)::int FROM profiles) AS users,
            (SELECT count(*)::int FROM user_taste_vectors WHERE model_version = $1) AS current`,
    [model.version],
  );
  if (row.users - row.current < minUsers) return false;
  // Favorite rows, not merged titles: close enough for choosing a path.
  const [eligible] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM favorite_items GROUP BY user_id HAVING count(*) >= $1) x`,
    [MIN_FAVORITES],
  );
  const backlog = eligible.n - row.current;
  return backlog >= minUsers && backlog * 2 >= eligible.n;
}

/**
 * Creates an empty build table (dropping a leftover of an abandoned run): the serving table's
 * columns, defaults and checks, its primary and foreign keys, RLS on and no grants but the
 * server's, like the table it will replace. The start time is kept as the table's comment: the
 * swap catches up every change made after it.
 */
export async function beginBulkBuild(db: Queryable): Promise<void> {
  await db.exec(`
    DROP TABLE IF EXISTS ${BUILD_TABLE};
    CREATE TABLE ${BUILD_TABLE} (LIKE user_taste_vectors INCLUDING ALL EXCLUDING INDEXES);
    ALTER TABLE ${BUILD_TABLE}
      ADD CONSTRAINT ${BUILD_TABLE}_pkey PRIMARY KEY (user_id),
      ADD CONSTRAINT ${BUILD_TABLE}_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
      ENABLE ROW LEVEL SECURITY;
    REVOKE ALL ON ${BUILD_TABLE} FROM anon, authenticated;
    GRANT ALL ON ${BUILD_TABLE} TO service_role;`);
  // A timestamptz printed by the server itself: digits, dashes, colons, a dot, a space and a sign.
  const [{ at }] = await db.query<{ at: string }>(`SELECT now()::text AS at`);
  await db.exec(`COMMENT ON TABLE ${BUILD_TABLE} IS '${at}'`);
}

/**
 * Builds the HNSW index on the filled build table with the serving index's own definition (so
 * its operator class and parameters carry over), then ANALYZEs it: the statistics move with the
 * table at the swap, and PGlite has no autovacuum to gather them later.
 */
export async function indexBulkBuild(db: Queryable, kind: DriverKind): Promise<void> {
  const [{ rows }] = await db.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM ${BUILD_TABLE}`);
  await prepareHnswBuild(db, kind, rows, { local: true });
  const [def] = await db.query<{ sql: string | null }>(`SELECT pg_get_indexdef(to_regclass($1)) AS sql`, [
    `public.${SERVING_INDEX}`,
  ]);
  const using = def?.sql?.match(/ USING .*$/)?.[0] ?? " USING hnsw (taste vector_cosine_ops)";
  await db.exec(`CREATE INDEX IF NOT EXISTS ${BUILD_INDEX} ON ${BUILD_TABLE}${using}; ANALYZE ${BUILD_TABLE}`);
}

/**
 * Users whose vector may have changed since the build began. Every such change goes through the
 * job queue: a favorites edit, import or sync queues a re-embed, a privacy change queues its
 * propagation, and the re-embed worker's writes to the serving table are those jobs running. So
 * the users of the jobs queued or worked on since then are the ones to recompute.
 */
async function usersTouchedSince(db: Queryable, since: string): Promise<string[]> {
  const rows = await db.query<{ user_id: string }>(
    `SELECT DISTINCT payload ->> 'userId' AS user_id FROM jobs
     WHERE kind IN ('re-embed-user', 'privacy-propagation')
       AND (created_at >= $1::timestamptz OR updated_at >= $1::timestamptz)
       AND payload ->> 'userId' ~ '^[0-9a-fA-F-]{36}$'`,
    [since],
  );
  return rows.map((r) => r.user_id);
}

/**
 * Replaces the serving table with the build table in one transaction (the caller's). The serving
 * table is locked first, so requests and the re-embed worker wait for the swap (milliseconds plus
 * the catch-up) instead of writing to a table about to be dropped.
 */
export async function swapBulkBuild(db: Queryable, model: TasteModel, now: Date): Promise<{ caughtUp: number }> {
  await db.exec(`LOCK TABLE user_taste_vectors IN ACCESS EXCLUSIVE MODE`);
  const [{ since }] = await db.query<{ since: string | null }>(
    `SELECT obj_description(to_regclass($1), 'pg_class') AS since`,
    [`public.${BUILD_TABLE}`],
  );
  if (!since) throw new Error(`${BUILD_TABLE} has no start time: drop it and run the taste-vectors job again`);
  const touched = await usersTouchedSince(db, since);
  // Ids from job payloads may name users deleted since: computeTasteVectors finds no favorites
  // for them and writes nothing.
  for (let i = 0; i < touched.length; i += 500) {
    await computeTasteVectors(db, model, touched.slice(i, i + 500), now, BUILD_TABLE);
  }
  await db.exec(`
    DROP TABLE user_taste_vectors;
    ALTER TABLE ${BUILD_TABLE} RENAME TO user_taste_vectors;
    ALTER TABLE user_taste_vectors RENAME CONSTRAINT ${BUILD_TABLE}_pkey TO user_taste_vectors_pkey;
    ALTER TABLE user_taste_vectors RENAME CONSTRAINT ${BUILD_TABLE}_user_id_fkey TO user_taste_vectors_user_id_fkey;
    ALTER INDEX ${BUILD_INDEX} RENAME TO ${SERVING_INDEX};
    COMMENT ON TABLE user_taste_vectors IS NULL;
    SELECT rooms_follow_taste_vectors();`);
  return { caughtUp: touched.length };
}
