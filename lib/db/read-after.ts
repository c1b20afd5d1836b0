import type { Queryable } from "./types";

/**
 * Read-your-own-writes across instances, the database's side: where the primary's WAL is, and
 * whether a replica has replayed up to a position. The request's side is lib/http/read-after.ts.
 */

/** The primary's current WAL position: everything committed so far is at or before it. */
export async function primaryPosition(primary: Queryable): Promise<string> {
  const [row] = await primary.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
  return row.lsn;
}

/** Whether the replica has replayed up to `lsn` (a server not in recovery has everything). */
export async function replayedUpTo(replica: Queryable, lsn: string): Promise<boolean> {
  const [row] = await replica.query<{ ok: boolean }>(
    "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, true) AS ok",
    [lsn],
  );
  return row.ok;
}
