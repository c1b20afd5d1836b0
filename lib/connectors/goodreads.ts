import type { FavoriteDraft, ParsedImport } from "../favorites/types";
import { toIsbn13 } from "../media/ids";
import { csvRows, invalidFile } from "./csv";
import type { UploadedFile } from "../http/upload";
import { chunksOf } from "./zip";

/**
 * Goodreads "Export Library" CSV (24 columns, or 31 in older exports: read by header name).
 * A book counts as a favorite when it is on the `read` or `currently-reading` shelf, or rated.
 */
const REQUIRED = [
  "Book Id",
  "Title",
  "Author",
  "ISBN",
  "ISBN13",
  "My Rating",
  "Exclusive Shelf",
  "Date Added",
] as const;
const FAVORITE_SHELVES = new Set(["read", "currently-reading"]);

/** Goodreads writes dates as YYYY/MM/DD (older exports sometimes YYYY-MM-DD). */
function parseDate(value: string | undefined): Date | null {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value?.trim() ?? "");
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? null : d;
}

function parseYear(value: string | undefined): number | null {
  const n = Number(value?.trim());
  return value?.trim() && Number.isInteger(n) && n >= 1000 && n <= 3000 ? n : null;
}

export async function parseGoodreads(file: UploadedFile): Promise<ParsedImport> {
  if (file.kind !== "csv") throw invalidFile("file: Goodreads exports are a CSV file, not a ZIP");
  const drafts: FavoriteDraft[] = [];
  let rows = 0;
  let skipped = 0;
  for await (const row of csvRows(chunksOf(file.bytes), file.name, REQUIRED)) {
    rows++;
    const where = `${file.name} row ${rows}`;
    const title = row.Title?.trim();
    if (!title) throw invalidFile(`${where}: Title is empty`);
    const stars = Number(row["My Rating"]?.trim() || "0");
    if (!Number.isInteger(stars) || stars < 0 || stars > 5) throw invalidFile(`${where}: My Rating must be 0 to 5`);
    const shelf = row["Exclusive Shelf"]?.trim() ?? "";
    if (!FAVORITE_SHELVES.has(shelf) && stars === 0) {
      skipped++;
      continue;
    }
    const isbn = toIsbn13(row.ISBN13) ?? toIsbn13(row.ISBN);
    const author = row.Author?.trim();
    const readCount = Number(row["Read Count"]?.trim() || "0");
    drafts.push({
      candidate: {
        mediaType: "book",
        title,
        // The work's year, so editions of one book agree; the edition's year when that is all there is.
        year: parseYear(row["Original Publication Year"]) ?? parseYear(row["Year Published"]),
        externalId: isbn ? `isbn:${isbn}` : null,
        metadata: { source: "goodreads", creators: author ? [author] : [] },
      },
      rating: stars === 0 ? null : stars,
      liked: false,
      playCount: Math.max(Number.isInteger(readCount) ? readCount : 0, shelf === "read" ? 1 : 0),
      addedAt: parseDate(row["Date Read"]) ?? parseDate(row["Date Added"]),
      externalUri: /^\d+$/.test(row["Book Id"]?.trim() ?? "")
        ? `https://www.goodreads.com/book/show/${row["Book Id"].trim()}`
        : null,
    });
  }
  return { drafts, rows, skipped };
}
