import { createHash } from "node:crypto";
import type { Db } from "../db/types";
import { invalidateSlatesShowing } from "../discovery/slate-cache";
import { ident } from "./user-tables";

/**
 * Removes a person and everything that holds them, in one transaction: the auth user (every table
 * that references it cascades), queued work and audit entries about them, and any other row that
 * still names them, such as other people's cached slates and explanations. That last sweep reads
 * every public table without a foreign key to users; deletions are rare, so thoroughness wins over
 * speed. An audit entry records the deletion under a one-way hash, never the id itself.
 */
export async function deleteUserData(db: Db, userId: string): Promise<{ deleted: boolean }> {
  return db.transaction(async (tx) => {
    const [exists] = await tx.query<{ ok: boolean }>("SELECT EXISTS (SELECT 1 FROM auth.users WHERE id = $1) AS ok", [
      userId,
    ]);
    if (!exists.ok) return { deleted: false };
    await tx.query("DELETE FROM auth.users WHERE id = $1", [userId]);
    // Other people's cached slates that show them (slate_cache references its viewer, so the sweep
    // below passes it by), and every process's pages in memory, by notification.
    await invalidateSlatesShowing(tx, userId);
    const sweep = await tx.query<{ table_name: string }>(
      `SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = c.oid AND f.contype = 'f'
                         AND f.confrelid = 'auth.users'::regclass)
       ORDER BY 1`,
    );
    for (const { table_name } of sweep) {
      const t = ident(table_name);
      await tx.query(`DELETE FROM ${t} WHERE strpos(${t}::text, $1) > 0`, [userId]);
    }
    await tx.query("INSERT INTO audit_log (action, detail) VALUES ('account.deleted', $1::text::jsonb)", [
      JSON.stringify({ subject: createHash("sha256").update(userId).digest("hex").slice(0, 16) }),
    ]);
    return { deleted: true };
  });
}
