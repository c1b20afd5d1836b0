import { createHash } from "node:crypto";
import type { MediaType } from "./types";

/** Canonical ids: imdb:tt…, mbid:<uuid>, isbn:<ISBN-13>, or local:<type>:<hash> until one is known. */
export const CANONICAL_ID =
  /^(?:imdb:tt\d{7,10}|mbid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|isbn:97[89]\d{10}|local:(?:film|book|music):[0-9a-f]{16,64})$/;

export function isCanonicalId(id: string): boolean {
  return CANONICAL_ID.test(id);
}

/** Digits (and a final X) of an ISBN as exports write it: `="0439023483"`, `978-0-…`, plain. */
function isbnChars(raw: string): string {
  return raw
    .replace(/^="?|"$/g, "")
    .replace(/[^0-9Xx]/g, "")
    .toUpperCase();
}

function isbn13Valid(d: string): boolean {
  if (!/^97[89]\d{10}$/.test(d)) return false;
  const sum = [...d].reduce((s, c, i) => s + Number(c) * (i % 2 ? 3 : 1), 0);
  return sum % 10 === 0;
}

function isbn10Valid(d: string): boolean {
  if (!/^\d{9}[\dX]$/.test(d)) return false;
  const sum = [...d].reduce((s, c, i) => s + (c === "X" ? 10 : Number(c)) * (10 - i), 0);
  return sum % 11 === 0;
}

/** ISBN-13 for a valid ISBN-10 or ISBN-13 as written in an export; null when absent or invalid. */
export function toIsbn13(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const d = isbnChars(raw);
  if (d.length === 13) return isbn13Valid(d) ? d : null;
  if (d.length !== 10 || !isbn10Valid(d)) return null;
  const body = `978${d.slice(0, 9)}`;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * (i % 2 ? 3 : 1), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A stable local id from what identifies a title without an external id: type, title, year. */
// Synchronous node:crypto (Deno has it too): an import computes thousands of these, and
// crypto.subtle's promise per digest cost ~50 us each.
export function localId(mediaType: MediaType, norm: string, year: number | null): string {
  const hex = createHash("sha256")
    .update(`${mediaType}|${norm}|${year ?? ""}`)
    .digest("hex")
    .slice(0, 16);
  return `local:${mediaType}:${hex}`;
}
