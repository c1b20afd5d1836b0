import type { Db } from "../db/types";
import type { ImportCounts } from "../favorites/save";
import type { UploadedFile } from "../http/upload";
import { importExportFile } from "./import-file";
import { connectSpotify } from "./spotify/connect";

export type ImportService = "letterboxd" | "goodreads" | "spotify";

export type ImportStarted =
  { service: "letterboxd" | "goodreads"; counts: ImportCounts } | { service: "spotify"; authorizeUrl: string };

/**
 * POST /favorites/import/:service — a Letterboxd or Goodreads export is read (only then: Spotify
 * sends no file) and imported; for Spotify, the authorize URL to send the person to.
 */
export async function importFromService(
  db: Db,
  userId: string,
  service: ImportService,
  file: () => Promise<UploadedFile>,
): Promise<ImportStarted> {
  if (service === "spotify") return { service, authorizeUrl: await connectSpotify(db, userId) };
  return { service, counts: await importExportFile(db, userId, service, await file()) };
}
