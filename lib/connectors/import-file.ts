import type { Db } from "../db/types";
import { type ImportCounts, saveImport } from "../favorites/save";
import { parseGoodreads } from "./goodreads";
import { parseLetterboxd } from "./letterboxd";
import type { UploadedFile } from "../http/upload";

/** Parses an uploaded export completely, then saves it in one transaction (a bad file writes nothing). */
export async function importExportFile(
  db: Db,
  userId: string,
  service: "letterboxd" | "goodreads",
  file: UploadedFile,
): Promise<ImportCounts> {
  const parsed = service === "letterboxd" ? await parseLetterboxd(file) : await parseGoodreads(file);
  return saveImport(db, userId, service, parsed);
}
