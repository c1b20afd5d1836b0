import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { normalizeTitle } from "../../lib/media/normalize";

/**
 * MovieLens 100K (GroupLens Research, University of Minnesota), read from
 * ../shared/datasets/ml-100k beside the project: research use only, never copied into this
 * repository (see that folder's README).
 */
export const ML_100K_DIR = resolve(process.cwd(), "..", "shared", "datasets", "ml-100k");

export interface MovieLensFilm {
  /** The MovieLens item id. */
  id: number;
  /** The title as people write it: "The Shawshank Redemption". */
  title: string;
  /** A title in parentheses after the main one, e.g. the original-language title. */
  alternateTitle: string | null;
  year: number | null;
  /**
   * One key per distinct film: MovieLens lists a few films twice (same title, year and IMDb
   * link); those share a key, and a person who rated both holds one film. Ids otherwise.
   */
  key: string;
}

export interface MovieLensRating {
  user: number;
  film: number;
  rating: number;
  at: Date;
}

export interface MovieLensPerson {
  id: number;
  age: number;
  gender: "M" | "F";
  occupation: string;
}

export interface MovieLens {
  films: Map<number, MovieLensFilm>;
  people: Map<number, MovieLensPerson>;
  /** Per person, their ratings in the order the file lists them. */
  ratingsByUser: Map<number, MovieLensRating[]>;
}

const TRAILING_ARTICLE = /^(.*), (The|A|An|Les|La|Le|Il|L'|Das|Der|Die|El)$/;

/** "City of Lost Children, The" as people write it: "The City of Lost Children". */
function displayTitle(raw: string): string {
  const m = TRAILING_ARTICLE.exec(raw.trim());
  return m ? `${m[2]} ${m[1]}`.replace("L' ", "L'") : raw.trim();
}

export interface ParsedTitle {
  title: string;
  alternateTitle: string | null;
  year: number | null;
}

/**
 * Splits a MovieLens title: "Shawshank Redemption, The (1994)" -> "The Shawshank Redemption",
 * 1994; "City of Lost Children, The (Cité des enfants perdus, La) (1995)" -> "The City of Lost
 * Children" with the alternate title "La Cité des enfants perdus"; a trailing "(V)" (video
 * release) is dropped; "unknown" stays as it is, with no year.
 */
export function parseMovieLensTitle(raw: string): ParsedTitle {
  let rest = raw.trim().replace(/\s*\(V\)$/, "");
  let year: number | null = null;
  const y = /^(.*?)\s*\((\d{4})\)$/.exec(rest);
  if (y) {
    rest = y[1];
    year = Number(y[2]);
  }
  let alternateTitle: string | null = null;
  const alt = /^(.+?)\s*\(([^()]+)\)$/.exec(rest);
  if (alt && !/^(a\.k\.a\.|aka)$/i.test(alt[2])) {
    rest = alt[1];
    alternateTitle = displayTitle(alt[2].replace(/^a\.k\.a\.\s*/i, ""));
  }
  return { title: displayTitle(rest), alternateTitle, year };
}

function readLines(path: string, encoding: "latin1" | "utf8"): string[] {
  return readFileSync(path, encoding)
    .split("\n")
    .filter((l) => l.trim());
}

export function loadMovieLens(dir = ML_100K_DIR): MovieLens {
  if (!existsSync(join(dir, "u.data"))) {
    throw new Error(`MovieLens 100K not found in ${dir}: the shared data sets sit beside the project (../shared)`);
  }
  const films = new Map<number, MovieLensFilm>();
  const byIdentity = new Map<string, string>();
  // u.item is Latin-1 ("Cité"), not UTF-8.
  for (const line of readLines(join(dir, "u.item"), "latin1")) {
    const [id, raw, , , imdb] = line.split("|");
    const parsed = parseMovieLensTitle(raw);
    const identity = `${raw.trim()}|${imdb ?? ""}`;
    const key = byIdentity.get(identity) ?? `ml:${id}`;
    byIdentity.set(identity, key);
    films.set(Number(id), { id: Number(id), ...parsed, key });
  }
  const people = new Map<number, MovieLensPerson>();
  for (const line of readLines(join(dir, "u.user"), "utf8")) {
    const [id, age, gender, occupation] = line.split("|");
    people.set(Number(id), { id: Number(id), age: Number(age), gender: gender === "F" ? "F" : "M", occupation });
  }
  const ratingsByUser = new Map<number, MovieLensRating[]>();
  for (const line of readLines(join(dir, "u.data"), "utf8")) {
    const [user, film, rating, ts] = line.trim().split(/\s+/).map(Number);
    const list = ratingsByUser.get(user) ?? [];
    list.push({ user, film, rating, at: new Date(ts * 1000) });
    ratingsByUser.set(user, list);
  }
  return { films, people, ratingsByUser };
}

/**
 * The name a film goes by in an export. Two distinct films whose title and year would
 * normalise to one catalogue entry are told apart by their alternate title, then their id.
 */
export function exportNames(films: ReadonlyMap<number, MovieLensFilm>): Map<number, string> {
  const keysByName = new Map<string, Set<string>>();
  const nameKey = (f: MovieLensFilm, name: string) => `${normalizeTitle(name)}|${f.year ?? ""}`;
  for (const f of films.values()) {
    const k = nameKey(f, f.title);
    keysByName.set(k, (keysByName.get(k) ?? new Set()).add(f.key));
  }
  const names = new Map<number, string>();
  for (const f of films.values()) {
    const clash = keysByName.get(nameKey(f, f.title))!.size > 1;
    names.set(f.id, !clash ? f.title : f.alternateTitle ? `${f.title} (${f.alternateTitle})` : `${f.title} [${f.key}]`);
  }
  return names;
}

const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** One person's ratings as a Letterboxd ratings.csv (MovieLens' 1-5 stars are Letterboxd's). */
export function letterboxdExportOf(
  data: MovieLens,
  ratings: MovieLensRating[],
  names = exportNames(data.films),
): string {
  const lines = ["Date,Name,Year,Letterboxd URI,Rating"];
  for (const r of ratings) {
    const film = data.films.get(r.film);
    if (!film) continue;
    lines.push(
      `${r.at.toISOString().slice(0, 10)},${csvField(names.get(film.id)!)},${film.year ?? ""},https://boxd.it/${film.key.replace(":", "")},${r.rating}`,
    );
  }
  return lines.join("\n") + "\n";
}
