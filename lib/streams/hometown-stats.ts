import type { Queryable } from "../db/types";

export const HOMETOWN_ALGORITHM =
  "hometown-v1: 1/(1+distance_km) x local preference strength + 0.5 quality + 0.3 language match + 0.2 " +
  "preferred category; candidates from a GiST (earthdistance) nearest-live-streams scan and B-tree top lists";

export interface HometownStats {
  total_streams: number;
  live_streams: number;
  total_users: number;
  cities_covered: number;
  top_cities: { city: string; live_streams: number }[];
  algorithm: string;
}

/** Public figures for GET /v1/scenarios/hometown/stats: counts only, nobody named. */
export async function hometownStats(db: Queryable): Promise<HometownStats> {
  const [totals] = await db.query<{ total_streams: number; live_streams: number; total_users: number }>(
    `SELECT (SELECT count(*)::int FROM streams) AS total_streams,
            (SELECT count(*)::int FROM streams WHERE ended_at IS NULL) AS live_streams,
            (SELECT count(*)::int FROM profiles) AS total_users`,
  );
  const cities = await db.query<{ city: string; live_streams: number; cities: number }>(
    `SELECT city, count(*)::int AS live_streams, (count(*) OVER ())::int AS cities
     FROM streams WHERE ended_at IS NULL GROUP BY city ORDER BY 2 DESC, 1 LIMIT 10`,
  );
  return {
    ...totals,
    cities_covered: cities[0]?.cities ?? 0,
    top_cities: cities.map(({ city, live_streams }) => ({ city, live_streams })),
    algorithm: HOMETOWN_ALGORITHM,
  };
}
