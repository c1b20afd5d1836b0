import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { Db, Queryable, SqlParam } from "./types";

type PgliteLike = Pick<PGlite, "query" | "exec">;

function wrap(pg: PgliteLike): Queryable {
  return {
    async query<T extends object>(sql: string, params: SqlParam[] = []) {
      const result = await pg.query<T>(sql, params);
      return result.rows;
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
  };
}

/**
 * Opens the embedded database. `dataDir` undefined means in-memory (tests); otherwise a directory
 * on disk whose parent is created first (PGlite does not create it).
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dirname(dataDir), { recursive: true });
  const pg = await PGlite.create({
    dataDir: dataDir ? `file://${dataDir}` : undefined,
    extensions: { vector, pg_trgm },
  });
  const base = wrap(pg);
  // PGlite is single-connection: serialise transactions so two callers never interleave.
  return {
    kind: "pglite",
    ...base,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  };
}
