import { Unzip, UnzipInflate } from "fflate";
import { HttpError } from "../http/errors";
import { concatBytes } from "../http/upload";
import { invalidFile } from "./csv";

/** Largest total a ZIP may unpack to (the CSVs we read from it); more is treated as a ZIP bomb. */
export const MAX_UNZIPPED_BYTES = 40 * 1024 * 1024;

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
      if (final) out.set(entry.name, concatBytes(parts));
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

/** Byte chunks of a buffer, so parsers see the same stream shape whatever the source. */
export function* chunksOf(bytes: Uint8Array, size = 64 * 1024): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
