import { parse, type CsvError } from "csv-parse";
import { HttpError } from "../http/errors";

export type CsvRow = Record<string, string>;

/** A file the importer cannot read: 422 naming the upload field, never the file's content. */
export function invalidFile(message: string): HttpError {
  return new HttpError(422, "invalid_file", message, "file");
}

function describe(err: CsvError, fileName: string): string {
  const line = err.lines ? ` near line ${err.lines}` : "";
  switch (err.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `${fileName}: a quoted field is never closed${line} (truncated file?)`;
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
    case "CSV_RECORD_INCONSISTENT_COLUMNS":
      return `${fileName}: a row${line} has a different number of fields than the header (truncated or damaged file?)`;
    default:
      // csv-parse messages may quote field values, which can be personal: keep only the code.
      return `${fileName}: not a valid CSV file (${err.code})${line}`;
  }
}

/**
 * Parses CSV rows one at a time from byte chunks: UTF-8 (a BOM is dropped), CRLF or LF, quoted
 * fields with commas, doubled quotes and line breaks. Columns are read by header name; a header
 * without the required columns, invalid UTF-8 or a damaged row is an invalid_file error.
 */
export async function* csvRows(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  fileName: string,
  required: readonly string[],
): AsyncGenerator<CsvRow> {
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    columns: (header: string[]) => {
      const names = header.map((h) => h.trim());
      const missing = required.filter((r) => !names.includes(r));
      if (missing.length) {
        throw invalidFile(
          `${fileName}: not the expected export (missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")})`,
        );
      }
      return names;
    },
  });
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const feed = (async () => {
    try {
      for await (const chunk of chunks) {
        // A parser that failed (bad header, damaged row) stops reading: stop feeding it too.
        if (parser.destroyed) return;
        if (!parser.write(decoder.decode(chunk, { stream: true }))) {
          await new Promise((resolve) => {
            parser.once("drain", resolve);
            parser.once("close", resolve);
          });
        }
      }
      if (!parser.destroyed) parser.end(decoder.decode());
    } catch (err) {
      parser.destroy(err instanceof TypeError ? invalidFile(`${fileName}: not UTF-8 text`) : (err as Error));
    }
  })();
  try {
    for await (const row of parser) yield row as CsvRow;
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (err && typeof err === "object" && "code" in err && String(err.code).startsWith("CSV_")) {
      throw invalidFile(describe(err as CsvError, fileName));
    }
    throw err;
  } finally {
    await feed;
  }
}
