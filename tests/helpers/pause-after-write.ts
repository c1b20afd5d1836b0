import { openPglite } from "../../lib/db/pglite";
import { openPostgres } from "../../lib/db/postgres";
import type { Db, Queryable } from "../../lib/db/types";

/** A child process's database: a postgres URL, or a PGlite data directory. */
export async function openTarget(target: string): Promise<Db> {
  return target.startsWith("postgres") ? openPostgres(target, { max: 1 }) : await openPglite(target);
}

/**
 * The database as a killed-mid-write child sees it: inside a transaction, the first statement
 * that inserts into `table` is carried out, then the child says "inside" and waits for good (the
 * parent kills it there, with the transaction open).
 */
export function pausingAfterInsertInto(db: Db, table: string): Db {
  const insert = new RegExp(`insert\\s+into\\s+${table}\\b`, "i");
  const pausing = (tx: Queryable): Queryable =>
    ({
      async query(sql, params) {
        const result = await tx.query(sql, params);
        if (insert.test(sql)) {
          process.stdout.write("inside\n");
          await new Promise(() => {}); // never resolves: the parent kills us here
        }
        return result;
      },
      exec: (sql) => tx.exec(sql),
    }) as Queryable;
  return { ...db, transaction: (fn) => db.transaction((tx) => fn(pausing(tx))) };
}
