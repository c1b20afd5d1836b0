import { eraOf, type CanonicalMedia, type MediaType } from "../media/types";
import { COMMUNITIES, FIRST_NAMES, type TasteCommunity } from "./communities";
import { Rng } from "../random";

export interface DemoTitle extends CanonicalMedia {
  /** The community whose pools the title was drawn from (for checks, never for serving). */
  community: string;
}

const NOUN_TAIL = ["of Ash", "in Winter", "at Dawn", "Rising", "Lost", "Returns", "of the North", "Street"];
const CONNECT = ["The", "A", "Last", "Beyond the", "Under the", "Between"];
const SURNAMES = ["Abara", "Brandt", "Castillo", "Dubois", "Eriksen", "Fujita", "Garza", "Horvat", "Ivanova", "Jensen"];

/** ISBN-13 with a valid check digit, from a 978 prefix and nine digits. */
function isbn13(n: number): string {
  const body = `978${String(n).padStart(9, "0")}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function makeTitle(rng: Rng, c: TasteCommunity): string {
  const word = rng.pick(c.titleWords);
  const form = rng.int(0, 3);
  if (form === 0) return `${rng.pick(CONNECT)} ${word}`;
  if (form === 1) return `${word} ${rng.pick(NOUN_TAIL)}`;
  if (form === 2) return `${rng.pick(CONNECT)} ${word} ${rng.pick(NOUN_TAIL)}`;
  return `${word} and ${rng.pick(c.titleWords)}`;
}

/**
 * A generated catalogue of films, books and music with realistic metadata. Each community gets
 * its own creators (a director makes several films in one style), so titles by one creator and
 * of one community share tags, as real catalogues do.
 */
export function generateCatalogue(perCommunity: Record<MediaType, number>, seed = 42): DemoTitle[] {
  const rng = new Rng(seed);
  const titles: DemoTitle[] = [];
  let serial = 1;
  for (const c of COMMUNITIES) {
    const creators = Array.from({ length: 12 }, () => `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`);
    for (const mediaType of ["film", "book", "music"] as const) {
      for (let i = 0; i < perCommunity[mediaType]; i++) {
        const year = rng.int(1965, 2025);
        const n = serial++;
        const id =
          mediaType === "film"
            ? `imdb:tt${String(1_000_000 + n).padStart(7, "0")}`
            : mediaType === "book"
              ? `isbn:${isbn13(100_000_000 + n)}`
              : `mbid:${rng.uuid()}`;
        // A minority of titles borrow a tag from another community, like real cross-genre work.
        const other = rng.chance(0.15) ? rng.pick(COMMUNITIES) : c;
        titles.push({
          id,
          mediaType,
          title: makeTitle(rng, c),
          year,
          community: c.key,
          metadata: {
            genres: [
              ...new Set([
                ...rng.sample(c.genres[mediaType], rng.int(1, 2)),
                ...(other !== c ? [rng.pick(other.genres[mediaType])] : []),
              ]),
            ],
            themes: rng.sample(c.themes, rng.int(1, 3)),
            mood: rng.sample(c.mood, rng.int(1, 2)),
            creators: [rng.pick(creators)],
            era: eraOf(year),
            source: "demo",
          },
        });
      }
    }
  }
  return titles;
}
