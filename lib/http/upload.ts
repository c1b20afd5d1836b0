// Reading an uploaded file (multipart/form-data), beside JSON body reading (body.ts): size-capped
// while streaming, and sniffed by its bytes rather than trusted by its name or declared type.
import { HttpError } from "./errors";

/** Largest export we accept: real Letterboxd and Goodreads exports are well under 5 MB. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
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
  return concatBytes(parts);
}

/** The parts, one after the other, in one buffer. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
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
