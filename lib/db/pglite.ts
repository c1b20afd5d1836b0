import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import { cube } from "@electric-sql/pglite/contrib/cube";
import { earthdistance } from "@electric-sql/pglite/contrib/earthdistance";
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
 * bytea travels between PGlite and JS as hex text (`\x0a1b...`). PGlite's own codec turns it into
 * bytes one parseInt at a time (and back one toString at a time): ~15 ms for the 100 vectors of a
 * slate's diversity stage, ~100 ms for a taste model's components. Node's native hex codec does
 * the same work some fifty times faster.
 */
const byteaCodec = {
  parsers: {
    // A copy with a buffer of its own: a small Buffer lives at any offset of a shared pool, and
    // readers such as new Float32Array(bytes.buffer) need offset 0.
    [types.BYTEA]: (text: string): Uint8Array => new Uint8Array(Buffer.from(text.slice(2), "hex")),
  },
  serializers: {
    [types.BYTEA]: (value: unknown): string => {
      if (!(value instanceof Uint8Array)) throw new Error("Invalid input for bytea type");
      return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
    },
  },
};

/** The embedded database, which can also copy itself whole (a tarball of its data directory). */
export type PgliteDb = Db & { dumpDataDir(): Promise<Blob> };

/**
 * Opens the embedded database. `dataDir` undefined means in-memory (tests); otherwise a directory
 * on disk whose parent is created first (PGlite does not create it). `from` starts the database
 * as a copy of another one's `dumpDataDir()` (tests start from one migrated copy: loading it takes
 * about a second, creating and migrating a fresh one about five).
 */
export async function openPglite(dataDir?: string, from?: Blob): Promise<PgliteDb> {
  if (dataDir) mkdirSync(dirname(dataDir), { recursive: true });
  const pg = await PGlite.create({
    dataDir: dataDir ? `file://${dataDir}` : undefined,
    loadDataDir: from,
    extensions: { vector, pg_trgm, cube, earthdistance },
    ...byteaCodec,
  });
  const base = wrap(pg);
  // PGlite is single-connection: serialise transactions so two callers never interleave.
  return {
    kind: "pglite",
    ...base,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    listen: (channel, onPayload) => pg.listen(channel, onPayload),
    close: () => pg.close(),
    dumpDataDir: () => pg.dumpDataDir("none"),
  };
}
