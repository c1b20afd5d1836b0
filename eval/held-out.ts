import type { Queryable } from "../lib/db/types";
import type { EvalDataset } from "./dataset";
import { HELD_OUT_FAVORITE_SHARE } from "./prepare";

/**
 * The held-out connections of each viewer: the other users of the viewer's planted community
 * (auth.users.raw_user_meta_data.demo_community) who hold one of the viewer's held-out favorites
 * (the share prepare.ts moved out of favorite_items before any batch job ran).
 *
 * Why this label: no system's feature is built from either half. No stage of the pipeline nor
 * any baseline reads demo_community, and the held-out favorites are gone before taste vectors,
 * profiles, traits and the ranker's shared-favorites count are computed, so a system can only
 * find these people through what it does see (the viewer's other favorites, taste, profile).
 * The earlier label asked for >= 2 shared favorites among the visible ones, the very count the
 * ranker reads. The community alone was tried first: every system but random and popular scored
 * Precision@10 0.97-1.00 on it (1,000 users, seed 7), so it no longer told them apart; asking
 * for a held-out title as well is what a user would confirm ("we both love X") and leaves room.
 * Deterministic for a database: the hidden favorites are a fixed-seed hash of (user, title).
 * The label is never written to `feedback`, so retrieval does not exclude these people and the
 * mutual-connections feature does not see them.
 */
export async function heldOutConnections(
  db: Queryable,
  data: EvalDataset,
  viewers: string[],
): Promise<Map<string, Set<string>>> {
  const rows = await db.query<{ viewer: string; other: string }>(
    `SELECT DISTINCT h.user_id::text AS viewer, f.user_id::text AS other
     FROM eval.held_out_favorites h
     JOIN favorite_items f ON f.media_id = h.media_id AND f.user_id <> h.user_id
     WHERE h.user_id = ANY($1::uuid[])`,
    [viewers],
  );
  const out = new Map<string, Set<string>>(viewers.map((v) => [v, new Set<string>()]));
  for (const r of rows) {
    const c = data.community.get(r.viewer);
    if (c !== undefined && data.community.get(r.other) === c) out.get(r.viewer)!.add(r.other);
  }
  return out;
}

/** The label in one line, for the report. */
export const GROUND_TRUTH =
  "held-out connections: the other users of the viewer's planted demo community (read by no system) " +
  `who hold one of the viewer's held-out favorites (a fixed-seed ${Math.round(HELD_OUT_FAVORITE_SHARE * 100)}% ` +
  "of every user's favorites, removed before the batch jobs); never written to feedback";
