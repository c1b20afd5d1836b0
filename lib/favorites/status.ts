// The answer's shape is the HTTP contract's (one declaration: api/favorites.ts).
import type { FavoritesStatus } from "../../api/favorites";
import type { Db } from "../db/types";

export const statusSources = ["spotify", "letterboxd", "goodreads"] as const;
export type StatusSource = (typeof statusSources)[number];

export type { FavoritesStatus };
export type SourceStatus = FavoritesStatus["sources"][number];

const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** Per source: where its import or sync stands; and how fresh the taste vector is. */
export async function favoritesStatus(db: Db, userId: string): Promise<FavoritesStatus> {
  const accounts = await db.query<{
    service: StatusSource;
    status: SourceStatus["state"];
    status_reason: string | null;
    counts: Record<string, unknown> | string;
    last_synced_at: Date | string | null;
  }>(`SELECT service, status, status_reason, counts, last_synced_at FROM connector_accounts WHERE user_id = $1`, [
    userId,
  ]);
  const sources = statusSources.map((source): SourceStatus => {
    const a = accounts.find((r) => r.service === source);
    if (!a)
      return {
        source,
        state: "never",
        reason: null,
        counts: { imported: 0, matched: 0, skipped: 0 },
        lastProcessedAt: null,
      };
    const c = (typeof a.counts === "string" ? JSON.parse(a.counts) : a.counts) as Record<string, unknown>;
    return {
      source,
      state: a.status,
      reason: a.status === "failed" ? (a.status_reason ?? "unknown") : null,
      counts: { imported: count(c.imported), matched: count(c.matched), skipped: count(c.skipped) },
      lastProcessedAt: a.last_synced_at ? new Date(a.last_synced_at).toISOString() : null,
    };
  });
  const [taste] = await db.query<{
    computed_at: Date | string | null;
    changed_at: Date | string | null;
    queued: boolean;
  }>(
    `SELECT (SELECT computed_at FROM user_taste_vectors WHERE user_id = $1) AS computed_at,
            (SELECT max(updated_at) FROM favorite_items WHERE user_id = $1) AS changed_at,
            EXISTS (SELECT 1 FROM jobs WHERE kind = 're-embed-user' AND status IN ('queued', 'running')
                    AND payload ->> 'userId' = $1::text) AS queued`,
    [userId],
  );
  const computedAt = taste.computed_at ? new Date(taste.computed_at) : null;
  const changedAt = taste.changed_at ? new Date(taste.changed_at) : null;
  return {
    sources,
    taste: {
      computedAt: computedAt?.toISOString() ?? null,
      stale: changedAt !== null && (computedAt === null || changedAt > computedAt),
      queued: taste.queued,
    },
  };
}
