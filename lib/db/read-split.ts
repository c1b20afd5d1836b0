import { sqlState } from "./retry";
import type { Db, SqlParam } from "./types";

// A statement that may change something, take a row lock or set a setting: it runs on the primary.
const WRITES =
  /\b(insert|update|delete|merge|truncate|set_config|nextval|setval|pg_advisory\w*|for\s+share|for\s+(no\s+key\s+)?update|lock|notify)\b/i;

/** True for a statement that only reads (a SELECT or WITH naming none of WRITES). */
export function isReadOnlyStatement(text: string): boolean {
  return /^\s*(select|with)\b/i.test(text) && !WRITES.test(text);
}

/** 25006 read_only_sql_transaction: the replica refused a write it was sent (a function that writes). */
const READ_ONLY_REFUSED = "25006";

/**
 * One Db over a primary and a read replica: statements that only read go to the replica; every
 * other statement, every script, transaction and LISTEN to the primary. A read the replica refuses
 * as a write (a function with side effects) runs again on the primary. The engine sees one Db and
 * needs no change; which requests may read from the replica at all is decided by the caller
 * (lib/runtime/database.ts getReadDb: not a viewer's own requests right after their writes).
 */
export function readSplit(primary: Db, replica: Db): Db & { replica: Db } {
  return {
    kind: primary.kind,
    replica,
    async query<T extends object>(text: string, params?: SqlParam[]) {
      if (!isReadOnlyStatement(text)) return primary.query<T>(text, params);
      try {
        return await replica.query<T>(text, params);
      } catch (err) {
        if (sqlState(err) === READ_ONLY_REFUSED) return primary.query<T>(text, params);
        throw err;
      }
    },
    exec: (text) => primary.exec(text),
    transaction: (fn) => primary.transaction(fn),
    listen: (channel, onPayload) => primary.listen(channel, onPayload),
    // The replica's pool is this object's own; the primary is shared with the writes' callers.
    close: () => replica.close(),
  };
}
