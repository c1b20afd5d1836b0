import type { ApiClient, FavoriteItem } from "@/api/client";

export interface FavoriteCounts {
  total: number;
  /** True when there were more pages than were read (the total is then a lower bound). */
  more: boolean;
  bySource: Partial<Record<FavoriteItem["sources"][number], number>>;
}

// Enough for any real library (10 x 200) without letting one page load walk an unbounded list.
const MAX_PAGES = 10;

/** How many favorites the person has, per source they came from ("212 from Letterboxd"). */
export async function countFavorites(api: ApiClient): Promise<FavoriteCounts> {
  const counts: FavoriteCounts = { total: 0, more: false, bySource: {} };
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await api.listFavorites({ limit: 200, cursor });
    for (const item of res.items) {
      counts.total++;
      for (const source of item.sources) counts.bySource[source] = (counts.bySource[source] ?? 0) + 1;
    }
    if (!res.nextCursor) return counts;
    cursor = res.nextCursor;
  }
  counts.more = true;
  return counts;
}
