import type { TraitsProvider, TraitsTitle } from "./provider";
import type { Traits } from "./schema";

/** Shorter names people use for some genres in a descriptor. */
const SHORT: Record<string, string> = {
  "science fiction": "sci-fi",
  "cozy mystery": "mystery",
  "epic fantasy": "fantasy",
  "literary fiction": "literary fiction",
  documentary: "documentaries",
};

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Weighted share of each tag: every favorite spreads its weight evenly over its tags. */
function distribution(favorites: TraitsTitle[], tags: (f: TraitsTitle) => string[]): Map<string, number> {
  const sums = new Map<string, number>();
  let total = 0;
  for (const f of favorites) {
    const list = [...new Set(tags(f).map((t) => t.toLowerCase()))];
    for (const t of list) sums.set(t, (sums.get(t) ?? 0) + f.weight / list.length);
    if (list.length) total += f.weight;
  }
  return new Map([...sums].map(([k, v]) => [k, total ? v / total : 0]));
}

/**
 * The n heaviest tags. Ordered on the rounded weight, then the label: two tags with the same
 * share can differ in the last bits depending on the order favorites were summed in, and the
 * stored traits must not change with that order.
 */
function top(dist: Map<string, number>, n: number): { label: string; weight: number }[] {
  return [...dist]
    .map(([label, weight]) => ({ label: label.slice(0, 40), weight: round(weight) }))
    .sort((a, b) => b.weight - a.weight || a.label.localeCompare(b.label))
    .slice(0, n);
}

/**
 * The default, offline provider. Descriptors pair each leading genre with the mood its titles
 * most often carry ("cerebral" + "science fiction" -> "cerebral sci-fi"), weighted by the genre's
 * share of the user's weighted favorites.
 */
export class RuleTraitsProvider implements TraitsProvider {
  readonly name = "rules";

  async traits(favorites: TraitsTitle[]): Promise<Traits> {
    const genres = distribution(favorites, (f) => f.genres);
    const moods = distribution(favorites, (f) => f.mood);
    const descriptors: { label: string; weight: number }[] = [];
    for (const { label: genre, weight } of top(genres, 4)) {
      const moodsOfGenre = distribution(
        favorites.filter((f) => f.genres.some((g) => g.toLowerCase() === genre)),
        (f) => f.mood,
      );
      const mood = top(moodsOfGenre, 1)[0]?.label;
      const label = `${mood ? `${mood} ` : ""}${SHORT[genre] ?? genre}`.slice(0, 40);
      if (!descriptors.some((d) => d.label === label)) descriptors.push({ label, weight });
    }
    if (!descriptors.length) descriptors.push({ label: "eclectic", weight: 1 });
    const mix = { film: 0, book: 0, music: 0 };
    const total = favorites.reduce((s, f) => s + f.weight, 0);
    for (const f of favorites) mix[f.mediaType] += total ? f.weight / total : 0;
    return {
      version: 1,
      descriptors: descriptors.slice(0, 6),
      genres: top(genres, 5),
      themes: top(
        distribution(favorites, (f) => f.themes),
        5,
      ),
      moods: top(moods, 5),
      mediaMix: { film: round(mix.film), book: round(mix.book), music: round(mix.music) },
    };
  }
}
