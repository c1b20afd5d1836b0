import { importExportFile } from "../lib/connectors/import-file";
import { parseLetterboxd } from "../lib/connectors/letterboxd";
import type { Db } from "../lib/db/types";
import { generateCatalogue } from "../lib/demo/catalogue";
import { Rng } from "../lib/random";
import type { MediaCandidate } from "../lib/media/resolve";
import { resolveMedia } from "../lib/media/resolve";
import { normalizeTitle } from "../lib/media/normalize";
import { searchMedia } from "../lib/media/search";
import { createUser } from "../lib/users/create";
import { summarise, timed, type Latency } from "./lib/stats";
import { progressBar } from "../scripts/lib/progress";

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ren",
  "tha",
  "vo",
  "zu",
  "bel",
  "cor",
  "dan",
  "el",
  "fi",
  "gar",
  "hol",
  "is",
  "jun",
];

/** A made-up word, so generated titles are as varied as a real catalogue's. */
function word(rng: Rng): string {
  const w = Array.from({ length: rng.int(2, 3) }, () => rng.pick(SYLLABLES)).join("");
  return w[0].toUpperCase() + w.slice(1);
}

/** A Letterboxd ratings.csv with `rows` distinct films, quoted as Letterboxd writes it. */
export function letterboxdRatingsCsv(rows: number, seed = 11): Uint8Array {
  const rng = new Rng(seed);
  const lines = ["Date,Name,Year,Letterboxd URI,Rating"];
  for (let i = 0; i < rows; i++) {
    const name = `${word(rng)} ${word(rng)}${rng.chance(0.2) ? `, ${word(rng)}` : ""}`;
    const rating = rng.int(1, 10) / 2;
    lines.push(
      `2024-0${rng.int(1, 9)}-1${rng.int(0, 9)},"${name}",${rng.int(1950, 2024)},https://boxd.it/b${i.toString(36)},${rating}`,
    );
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

export interface ImportBenchResult {
  driver: string;
  rows: number;
  batched: { seconds: number; rowsPerSecond: number };
  naive: { seconds: number; rowsPerSecond: number };
}

/**
 * Import throughput for a Letterboxd export: the real importer (one transaction, batched upsert)
 * beside a naive row-by-row baseline (resolve and INSERT each row on its own, autocommit), each
 * on a fresh user with titles new to the catalogue.
 */
export async function runImportBench(db: Db, rows: number): Promise<ImportBenchResult> {
  const batchedUser = await createUser(db);
  const file = { name: "ratings.csv", bytes: letterboxdRatingsCsv(rows, 11), kind: "csv" as const };
  const [, batchedMs] = await timed(() => importExportFile(db, batchedUser, "letterboxd", file));

  const naiveUser = await createUser(db);
  const parsed = await parseLetterboxd({ ...file, bytes: letterboxdRatingsCsv(rows, 12) });
  const bar = progressBar("naive import {bar} {value}/{total} | ETA {eta_formatted}");
  bar.start(parsed.drafts.length, 0);
  const [, naiveMs] = await timed(async () => {
    for (const d of parsed.drafts) {
      const { id } = await resolveMedia(db, d.candidate as MediaCandidate);
      await db.query(
        `INSERT INTO favorite_items (user_id, media_id, source, rating, added_at) VALUES ($1, $2, 'letterboxd', $3, $4)
         ON CONFLICT DO NOTHING`,
        [naiveUser, id, d.rating, d.addedAt],
      );
      bar.increment();
    }
  });
  bar.stop();
  const rate = (ms: number) => ({ seconds: Math.round(ms / 10) / 100, rowsPerSecond: Math.round(rows / (ms / 1000)) });
  return { driver: db.kind, rows, batched: rate(batchedMs), naive: rate(naiveMs) };
}

export interface SearchBenchResult {
  driver: string;
  titles: number;
  queries: number;
  search: Latency;
  ilikeScan: Latency;
}

/**
 * Auto-complete latency over a catalogue of `titles` titles: searchMedia (prefix and trigram
 * indexes over aliases) beside the naive `title ILIKE '%q%'` scan, for the same typed prefixes.
 */
export async function runSearchBench(db: Db, titles: number, queries = 200): Promise<SearchBenchResult> {
  const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM canonical_media");
  if (n < titles) {
    const perCommunity = Math.ceil((titles - n) / 8 / 3);
    const rng = new Rng(5);
    const catalogue = generateCatalogue({ film: perCommunity, book: perCommunity, music: perCommunity }, 900 + n).map(
      (t) => ({
        ...t,
        id:
          t.mediaType === "music"
            ? t.id
            : t.id.replace(/\d{6}(\d)?$/, (m) => String(Number(m) + n + 3_000_000).slice(-m.length)),
        title: `${t.title} ${word(rng)}`,
      }),
    );
    const bar = progressBar("catalogue {bar} {value}/{total} | ETA {eta_formatted}");
    bar.start(catalogue.length, 0);
    for (let i = 0; i < catalogue.length; i += 2000) {
      const chunk = catalogue.slice(i, i + 2000);
      await db.query(
        `INSERT INTO canonical_media (id, media_type, title, year, metadata)
         SELECT id, media_type, title, year, '{}'::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])
           AS t(id, media_type, title, year)
         ON CONFLICT (id) DO NOTHING`,
        [chunk.map((t) => t.id), chunk.map((t) => t.mediaType), chunk.map((t) => t.title), chunk.map((t) => t.year)],
      );
      await db.query(
        `INSERT INTO media_aliases (alias_norm, media_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
        [chunk.map((t) => normalizeTitle(t.title)), chunk.map((t) => t.id)],
      );
      bar.update(i + chunk.length);
    }
    bar.stop();
    await db.exec("ANALYZE canonical_media; ANALYZE media_aliases");
  }
  const sample = await db.query<{ title: string }>(
    `SELECT title FROM canonical_media ORDER BY md5(id) LIMIT ${queries}`,
  );
  const rng = new Rng(9);
  // What people type: the first few letters of a title, or of a word inside it.
  const typed = sample.map(({ title }) => {
    const words = title.split(" ");
    const w = rng.chance(0.6) ? title : words.slice(rng.int(0, words.length - 1)).join(" ");
    return w.slice(0, rng.int(3, 8));
  });
  const searchTimes: number[] = [];
  const scanTimes: number[] = [];
  for (const q of typed) {
    searchTimes.push((await timed(() => searchMedia(db, q, { limit: 10 })))[1]);
    scanTimes.push(
      (
        await timed(() =>
          db.query("SELECT id, title FROM canonical_media WHERE title ILIKE $1 ORDER BY title LIMIT 10", [`%${q}%`]),
        )
      )[1],
    );
  }
  const [{ total }] = await db.query<{ total: number }>("SELECT count(*)::int AS total FROM canonical_media");
  return { driver: db.kind, titles: total, queries, search: summarise(searchTimes), ilikeScan: summarise(scanTimes) };
}
