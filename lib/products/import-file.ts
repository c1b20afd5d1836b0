import { parse } from "csv-parse/sync";
import type { Db } from "../db/types";
import { productSchema, upsertProducts, type Product } from "./catalogue";

/** A line the file could not give as a product: where and why. */
export class ProductFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const CATEGORY_SEPARATOR = /\s*[>/|]\s*/;

function fromCsvRow(row: Record<string, string>): unknown {
  const price = row.price?.trim();
  const available = row.available?.trim().toLowerCase();
  return {
    id: row.id,
    title: row.title,
    category: (row.category ?? "").split(CATEGORY_SEPARATOR).filter(Boolean),
    price: price ? Number(price) : null,
    available: available ? !["false", "0", "no", "n"].includes(available) : true,
    attributes: row.attributes?.trim() ? JSON.parse(row.attributes) : {},
  };
}

/**
 * Reads a catalogue file: CSV with a header (id, title, category as a path "Home > Kitchen",
 * price, available, attributes as JSON) or JSON lines (one product object per line). Every line
 * is checked before anything is written; the first bad line fails the whole file.
 */
export function parseProductFile(text: string, format: "csv" | "jsonl"): Product[] {
  const lines: number[] = [];
  const raw: unknown[] =
    format === "csv"
      ? (parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[]).map(
          (row, i) => {
            lines.push(i + 2);
            try {
              return fromCsvRow(row);
            } catch (err) {
              throw new ProductFileError(i + 2, (err as Error).message);
            }
          },
        )
      : text.split("\n").flatMap((line, i) => {
          if (!line.trim()) return [];
          lines.push(i + 1);
          try {
            return [JSON.parse(line)];
          } catch {
            throw new ProductFileError(i + 1, "not valid JSON");
          }
        });
  return raw.map((value, i) => {
    const parsed = productSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProductFileError(lines[i], `${issue.path.join(".") || "row"}: ${issue.message}`);
    }
    return parsed.data;
  });
}

/** Imports a catalogue file in chunks of one transaction each; answers how many products it wrote. */
export async function importProductFile(db: Db, text: string, format: "csv" | "jsonl"): Promise<number> {
  const products = parseProductFile(text, format);
  const CHUNK = 1000;
  for (let i = 0; i < products.length; i += CHUNK) {
    await db.transaction((tx) => upsertProducts(tx, products.slice(i, i + CHUNK)));
  }
  return products.length;
}
