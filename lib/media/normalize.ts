/**
 * Title normalisation for de-duplication and auto-complete. Variants people and services write
 * for one title ("Amélie" / "Amelie", "Blade Runner – The Final Cut", "Dune (Dune, #1)") must
 * reduce to one alias; different titles must not.
 */

// Cuts and editions that name a version of a film, not a different film.
const EDITION =
  /(?:\s*[-–—:]\s*|\s+)\(?\s*(?:the\s+)?(?:final|director'?s|directors|extended|theatrical|ultimate|special|unrated|redux|remastered|anniversary|collector'?s|criterion)(?:\s+(?:cut|edition|version|remaster(?:ed)?))?(?:\s+(?:cut|edition|version))?\s*\)?\s*$/i;
// Goodreads series suffix: "(The Hunger Games, #1)", "(Dune, #1)", "(Discworld, #2.5)".
const SERIES = /\s*\([^()]*,?\s*#\s*[\d.]+(?:\s*-\s*[\d.]+)?\)\s*$/;
// A transliteration or translation in brackets: "ノルウェイの森 [Noruwei no Mori]".
const BRACKETED = /^(.*?)\s*\[([^\]]+)\]\s*$/;
// Letters Unicode does not decompose into a base letter plus an accent.
const FOLD: Record<string, string> = { ø: "o", æ: "ae", œ: "oe", ß: "ss", ł: "l", đ: "d", þ: "th", ð: "d", ı: "i" };
// "The Final Cut" (2004) is a film, not an edition of "The".
const ARTICLES = new Set(["", "the", "a", "an", "le", "la", "les", "el", "los", "das", "der", "die"]);

/** Lower case, no accents, "&" as "and", punctuation as single spaces. */
export function normalizeTitle(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[øæœßłđþðı]/g, (c) => FOLD[c])
    .replace(/&/g, " and ")
    .replace(/['’`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export interface TitleParts {
  /** The title as the canonical record shows it: edition and series suffixes removed. */
  display: string;
  /** normalizeTitle(display): the key variants are matched on. */
  norm: string;
  /** True when an edition suffix was removed (its year may be the re-release year). */
  edition: boolean;
  /** Every normalised form worth finding the title by (auto-complete). */
  aliases: string[];
}

/** Splits a title as written into its canonical display form and the aliases to match it by. */
export function titleParts(raw: string): TitleParts {
  const written = raw.replace(/\s+/g, " ").trim();
  let display = written;
  const extra: string[] = [];
  const series = SERIES.exec(display);
  if (series && series.index > 0) display = display.slice(0, series.index).trim();
  else extra.push(written);
  const bracket = BRACKETED.exec(display);
  if (bracket && bracket[1]) {
    display = bracket[1].trim();
    extra.push(bracket[2]);
  }
  let edition = false;
  const cut = EDITION.exec(display);
  if (cut && !ARTICLES.has(normalizeTitle(display.slice(0, cut.index)))) {
    display = display.slice(0, cut.index).trim();
    edition = true;
  }
  const norm = normalizeTitle(display) || normalizeTitle(written);
  const aliases = [...new Set([norm, ...extra.map(normalizeTitle)].filter(Boolean))];
  return { display: display || written, norm, edition, aliases };
}
