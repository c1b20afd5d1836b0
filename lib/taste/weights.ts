/**
 * How much one favorite counts toward a user's taste vector. The weight is a product:
 *
 *   rating   null (not rated) -> 1; otherwise (rating - 1) / 2 clamped to [0.1, 2]:
 *            5 -> 2, 4 -> 1.5, 3 -> 1, 2 -> 0.5, 1 or less -> 0.1. A favorite is never negative
 *            evidence; a poorly rated one simply says little.
 *   recency  0.5 ^ (age in days / 365): a favorite added a year ago counts half as much as one
 *            added today (half-life HALF_LIFE_DAYS), two years ago a quarter.
 *   liked    x 1.5 when the user explicitly liked it (a heart on Letterboxd, a saved track).
 *   plays    1 + 0.25 * ln(play_count) for play_count >= 1: the 100th play of a song adds a little,
 *            not a hundredfold.
 */
export const HALF_LIFE_DAYS = 365;
export const LIKE_BOOST = 1.5;
export const PLAY_COUNT_FACTOR = 0.25;
/** Users with fewer distinct favorites get no taste vector (cold start is served elsewhere). */
export const MIN_FAVORITES = 3;

export interface FavoriteSignal {
  rating: number | null;
  liked: boolean;
  playCount: number;
  addedAt: Date;
}

export function ratingWeight(rating: number | null): number {
  if (rating === null || Number.isNaN(rating)) return 1;
  return Math.min(2, Math.max(0.1, (rating - 1) / 2));
}

export function recencyWeight(addedAt: Date, now: Date): number {
  const ageDays = Math.max(0, (now.getTime() - addedAt.getTime()) / 86_400_000);
  return 0.5 ** (ageDays / HALF_LIFE_DAYS);
}

export function playWeight(playCount: number): number {
  return 1 + PLAY_COUNT_FACTOR * Math.log(Math.max(1, playCount));
}

export function favoriteWeight(f: FavoriteSignal, now: Date): number {
  return ratingWeight(f.rating) * recencyWeight(f.addedAt, now) * (f.liked ? LIKE_BOOST : 1) * playWeight(f.playCount);
}

/**
 * favoriteWeight as a SQL float8 expression, so the batch can weight and average projections in
 * the database instead of shipping 256-d vectors to Node and back. It must stay term for term the
 * same as the functions above (taste.test.ts checks both agree on every rating, like, play count
 * and age). `f` names a row with rating (float8, null = unrated), liked, play_count and added_at;
 * `now` is a timestamptz SQL expression. Only the constants above are interpolated, never input.
 */
export function favoriteWeightSql(f: string, now: string): string {
  const ageDays = `greatest(0, extract(epoch FROM (${now}) - ${f}.added_at)::float8 / 86400)`;
  return `(CASE WHEN ${f}.rating IS NULL THEN 1 ELSE least(2, greatest(0.1, (${f}.rating - 1) / 2)) END
    * power(0.5::float8, ${ageDays} / ${HALF_LIFE_DAYS})
    * CASE WHEN ${f}.liked THEN ${LIKE_BOOST} ELSE 1 END
    * (1 + ${PLAY_COUNT_FACTOR} * ln(greatest(1, ${f}.play_count)::float8)))`;
}
