import type { FavoriteDraft, ParsedImport } from "../favorites/types";
import { normalizeTitle } from "../media/normalize";
import { csvRows, invalidFile } from "./csv";
import type { UploadedFile } from "../http/upload";
import { chunksOf, unzipEntries } from "./zip";

/**
 * Letterboxd account export: the ZIP, or one of its CSVs. Kinds are told apart by file name in the
 * ZIP and by header (and name) for a single CSV. watchlist.csv (not seen yet), profile.csv
 * (personal), lists/, deleted/ and orphaned/ are not favorites and are ignored.
 */
type FileKind = "ratings" | "watched" | "diary" | "likes" | "reviews";

const BASE = ["Date", "Name", "Year", "Letterboxd URI"] as const;
const REQUIRED: Record<FileKind, readonly string[]> = {
  ratings: [...BASE, "Rating"],
  watched: BASE,
  likes: BASE,
  diary: [...BASE, "Rating", "Rewatch"],
  reviews: [...BASE, "Rating", "Review"],
};

function kindOfZipEntry(entryPath: string): FileKind | null {
  const path = entryPath.replace(/\\/g, "/");
  if (/(^|\/)(deleted|orphaned|lists)\//.test(path)) return null;
  if (path === "likes/films.csv" || path.endsWith("/likes/films.csv")) return "likes";
  const name = path.split("/").pop();
  return (["ratings", "watched", "diary", "reviews"] as const).find((k) => name === `${k}.csv`) ?? null;
}

/** A single uploaded CSV: its header says what it is; films.csv is likes, the 4-column rest watched. */
function kindOfCsv(fileName: string, headerLine: string): FileKind {
  const header = headerLine.replace(/^\uFEFF/, "");
  if (/^Letterboxd list export/i.test(header)) throw invalidFile("file: a Letterboxd list is not a favorites export");
  if (/(^|,)Review(,|$)/.test(header)) return "reviews";
  if (/(^|,)Rewatch(,|$)/.test(header)) return "diary";
  if (/(^|,)Rating(,|$)/.test(header)) return "ratings";
  const base = fileName.split(/[\\/]/).pop()?.toLowerCase() ?? "";
  if (base === "watchlist.csv") throw invalidFile("file: watchlist.csv lists films not seen yet, not favorites");
  return base === "films.csv" || base === "likes.csv" ? "likes" : "watched";
}

function parseRating(value: string | undefined, where: string): number | null {
  const v = value?.trim();
  if (!v) return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0.5 || n > 5 || n * 2 !== Math.floor(n * 2)) {
    throw invalidFile(`${where}: Rating must be 0.5 to 5 in half stars`);
  }
  return n;
}

function parseYear(value: string | undefined): number | null {
  const n = Number(value?.trim());
  return Number.isInteger(n) && n >= 1870 && n <= 3000 ? n : null;
}

function parseDate(value: string | undefined): Date | null {
  const v = value?.trim();
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
  const d = new Date(`${v}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** One film's evidence gathered across all the files of the export. */
interface FilmEvidence {
  name: string;
  year: number | null;
  filmUri: string | null;
  rating: { value: number; at: number; fromRatings: boolean } | null;
  liked: boolean;
  diaryEntries: number;
  watched: boolean;
  firstSeen: number | null;
}

async function readFile(
  films: Map<string, FilmEvidence>,
  kind: FileKind,
  fileName: string,
  bytes: Uint8Array,
): Promise<number> {
  let rows = 0;
  for await (const row of csvRows(chunksOf(bytes), fileName, REQUIRED[kind])) {
    rows++;
    const where = `${fileName} row ${rows}`;
    const name = row.Name?.trim();
    if (!name) throw invalidFile(`${where}: Name is empty`);
    const year = parseYear(row.Year);
    const key = `${normalizeTitle(name)}|${year ?? ""}`;
    const film =
      films.get(key) ??
      ({
        name,
        year,
        filmUri: null,
        rating: null,
        liked: false,
        diaryEntries: 0,
        watched: false,
        firstSeen: null,
      } as FilmEvidence);
    films.set(key, film);
    const date = parseDate(row["Watched Date"]) ?? parseDate(row.Date);
    const at = date?.getTime() ?? 0;
    if (date && (film.firstSeen === null || at < film.firstSeen)) film.firstSeen = at;
    const uri = row["Letterboxd URI"]?.trim() || null;
    // ratings, watched and likes link the film; diary and reviews link the log entry.
    if (uri && (kind === "ratings" || kind === "watched" || kind === "likes")) film.filmUri ??= uri;
    if (kind !== "likes") film.watched = true;
    if (kind === "likes") film.liked = true;
    if (kind === "diary") film.diaryEntries++;
    if (kind === "ratings" || kind === "diary" || kind === "reviews") {
      const value = parseRating(row.Rating, where);
      // ratings.csv holds the current rating; otherwise the latest logged one wins.
      const fromRatings = kind === "ratings";
      if (
        value !== null &&
        (!film.rating ||
          (fromRatings && !film.rating.fromRatings) ||
          (!film.rating.fromRatings && at >= film.rating.at))
      ) {
        film.rating = { value, at, fromRatings };
      }
    }
  }
  return rows;
}

export async function parseLetterboxd(file: UploadedFile): Promise<ParsedImport> {
  const films = new Map<string, FilmEvidence>();
  let rows = 0;
  if (file.kind === "zip") {
    const entries = unzipEntries(file.bytes, (name) => kindOfZipEntry(name) !== null);
    if (!entries.size) throw invalidFile("file: no Letterboxd CSVs (ratings.csv, watched.csv, …) in the ZIP");
    // A fixed order so the result never depends on the order of entries in the archive.
    const order: FileKind[] = ["ratings", "watched", "diary", "reviews", "likes"];
    const sorted = [...entries].sort(
      ([a], [b]) => order.indexOf(kindOfZipEntry(a)!) - order.indexOf(kindOfZipEntry(b)!),
    );
    for (const [name, bytes] of sorted) rows += await readFile(films, kindOfZipEntry(name)!, name, bytes);
  } else {
    const firstLine = new TextDecoder().decode(file.bytes.subarray(0, 2048)).split(/\r?\n/)[0] ?? "";
    rows += await readFile(films, kindOfCsv(file.name, firstLine), file.name, file.bytes);
  }
  const drafts: FavoriteDraft[] = [...films.values()].map((f) => ({
    candidate: { mediaType: "film", title: f.name, year: f.year, metadata: { source: "letterboxd" } },
    rating: f.rating?.value ?? null,
    liked: f.liked,
    playCount: Math.max(f.diaryEntries, f.watched || f.liked ? 1 : 0),
    addedAt: f.firstSeen === null ? null : new Date(f.firstSeen),
    externalUri: f.filmUri,
  }));
  return { drafts, rows, skipped: 0 };
}
