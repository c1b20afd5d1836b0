import { Unzip, UnzipInflate } from "fflate";
import { HttpError } from "../http/errors";
import { invalidFile } from "./csv";

/** Largest export we accept: real Letterboxd and Goodreads exports are well under 5 MB. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Largest total a ZIP may unpack to (the CSVs we read from it); more is treated as a ZIP bomb. */
export const MAX_UNZIPPED_BYTES = 40 * 1024 * 1024;
// Multipart boundaries and headers around the file.
const MULTIPART_OVERHEAD = 64 * 1024;

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
  kind: "csv" | "zip";
}

function tooLarge(): HttpError {
  return new HttpError(413, "file_too_large", `file: larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, "file");
}

/** Reads the request body, refusing it as soon as it passes the limit (not after buffering it all). */
async function readCapped(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** What the bytes are, whatever the file name or declared type says. */
export function sniff(bytes: Uint8Array): "csv" | "zip" | null {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return "zip";
  }
  const head = bytes.subarray(0, 8192);
  if (head.length === 0 || head.includes(0)) return null;
  try {
    // A multi-byte character may be cut at the end of the sample: decode in streaming mode.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
  } catch {
    return null;
  }
  return "csv";
}

/** The multipart field `file`, size-limited and sniffed; 4xx JSON errors name the field. */
export async function readUploadedFile(request: Request): Promise<UploadedFile> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "file: send the export as multipart/form-data", "file");
  }
  const body = await readCapped(request, MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD);
  let form: FormData;
  try {
    form = await new Response(body as BodyInit, { headers: { "content-type": type } }).formData();
  } catch {
    throw new HttpError(400, "invalid_input", "file: the multipart body could not be read", "file");
  }
  const file = form.get("file");
  if (!file || typeof file === "string") {
    throw new HttpError(400, "invalid_input", "file: a file is required in the form field 'file'", "file");
  }
  if (file.size > MAX_UPLOAD_BYTES) throw tooLarge();
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniff(bytes);
  if (!kind) {
    throw new HttpError(415, "unsupported_file", "file: not a CSV or ZIP export", "file");
  }
  return { name: file.name || "upload", bytes, kind };
}

/**
 * Unpacks the entries `wanted` accepts. The input is fed in small slices and output counted as it
 * comes, so a ZIP bomb is stopped after at most a few MB of inflation, whatever its headers claim.
 */
export function unzipEntries(bytes: Uint8Array, wanted: (name: string) => boolean): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let total = 0;
  let failure: HttpError | null = null;
  const bomb = () => invalidFile(`file: the ZIP unpacks to more than ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB`);
  const unzip = new Unzip((entry) => {
    if (failure || !wanted(entry.name)) return;
    if ((entry.originalSize ?? 0) > MAX_UNZIPPED_BYTES) {
      failure = bomb();
      return;
    }
    const parts: Uint8Array[] = [];
    entry.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = invalidFile(`file: damaged ZIP entry ${entry.name}`);
        return;
      }
      total += chunk.length;
      if (total > MAX_UNZIPPED_BYTES) {
        failure = bomb();
        entry.terminate();
        return;
      }
      parts.push(chunk);
      if (final) out.set(entry.name, concat(parts));
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  const SLICE = 16 * 1024;
  try {
    for (let at = 0; at < bytes.length && !failure; at += SLICE) {
      unzip.push(bytes.subarray(at, at + SLICE), at + SLICE >= bytes.length);
    }
  } catch {
    failure ??= invalidFile("file: damaged ZIP archive");
  }
  if (failure) throw failure;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Byte chunks of a buffer, so parsers see the same stream shape whatever the source. */
export function* chunksOf(bytes: Uint8Array, size = 64 * 1024): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
