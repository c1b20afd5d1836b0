import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * MovieLens 100K (GroupLens Research), read from ../shared/datasets/ml-100k beside the project:
 * research use only, never copied into this repository (see that folder's README).
 */
export const ML_100K_DIR = resolve(process.cwd(), "..", "shared", "datasets", "ml-100k");

export interface MovieLensFilm {
  id: number;
  title: string;
  year: number | null;
}

export interface MovieLensRating {
  user: number;
  film: number;
  rating: number;
  at: Date;
}

export interface MovieLens {
  films: Map<number, MovieLensFilm>;
  /** Per person, their ratings in the order the file lists them. */
  ratingsByUser: Map<number, MovieLensRating[]>;
}

// "Toy Story (1995)", "City of Lost Children, The (1995)", "Shanghai Triad (Yao a yao yao dao waipo qiao) (1995)".
const TITLE_YEAR = /^(.*?)\s*\((\d{4})\)\s*$/;
const TRAILING_ARTICLE = /^(.*), (The|A|An|Les|La|Le|Il|L'|Das|Der|Die|El)$/;

/** "City of Lost Children, The" as people write it: "The City of Lost Children". */
function displayTitle(raw: string): string {
  const m = TRAILING_ARTICLE.exec(raw.trim());
  return m ? `${m[2]} ${m[1]}`.replace("L' ", "L'") : raw.trim();
}

export function loadMovieLens(dir = ML_100K_DIR): MovieLens {
  if (!existsSync(join(dir, "u.data"))) {
    throw new Error(`MovieLens 100K not found in ${dir}: the shared data sets sit beside the project (../shared)`);
  }
  const films = new Map<number, MovieLensFilm>();
  for (const line of readFileSync(join(dir, "u.item"), "latin1").split("\n")) {
    if (!line.trim()) continue;
    const [id, raw] = line.split("|");
    const m = TITLE_YEAR.exec(raw);
    films.set(Number(id), { id: Number(id), title: displayTitle(m ? m[1] : raw), year: m ? Number(m[2]) : null });
  }
  const ratingsByUser = new Map<number, MovieLensRating[]>();
  for (const line of readFileSync(join(dir, "u.data"), "utf8").split("\n")) {
    if (!line.trim()) continue;
    const [user, film, rating, ts] = line.trim().split(/\s+/).map(Number);
    const list = ratingsByUser.get(user) ?? [];
    list.push({ user, film, rating, at: new Date(ts * 1000) });
    ratingsByUser.set(user, list);
  }
  return { films, ratingsByUser };
}

const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** One person's ratings as a Letterboxd ratings.csv (MovieLens' 1-5 stars are Letterboxd's). */
export function letterboxdExportOf(data: MovieLens, ratings: MovieLensRating[]): string {
  const lines = ["Date,Name,Year,Letterboxd URI,Rating"];
  for (const r of ratings) {
    const film = data.films.get(r.film);
    if (!film) continue;
    lines.push(
      `${r.at.toISOString().slice(0, 10)},${csvField(film.title)},${film.year ?? ""},https://boxd.it/ml${film.id},${r.rating}`,
    );
  }
  return lines.join("\n") + "\n";
}
