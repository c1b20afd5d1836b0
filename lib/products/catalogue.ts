import { z } from "zod";
import type { Queryable } from "../db/types";

/** One catalogue row as imported (CSV, JSON lines or the admin route). */
export const productSchema = z
  .object({
    id: z.string().trim().min(1).max(200),
    title: z.string().trim().min(1).max(300),
    category: z.array(z.string().trim().min(1).max(100)).max(8).default([]),
    price: z.number().min(0).max(1e9).nullable().default(null),
    available: z.boolean().default(true),
    attributes: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type Product = z.output<typeof productSchema>;

/** Inserts or replaces products by id, in one statement. */
export async function upsertProducts(db: Queryable, products: readonly Product[]): Promise<number> {
  if (products.length === 0) return 0;
  await db.query(
    `INSERT INTO products (id, title, category, price, available, attributes, updated_at)
     SELECT p.id, p.title, ARRAY(SELECT jsonb_array_elements_text(p.category)), p.price, p.available, p.attributes, now()
     FROM jsonb_to_recordset($1::text::jsonb)
       AS p(id text, title text, category jsonb, price numeric, available boolean, attributes jsonb)
     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, category = EXCLUDED.category, price = EXCLUDED.price,
       available = EXCLUDED.available, attributes = EXCLUDED.attributes, updated_at = now()`,
    [JSON.stringify(products)],
  );
  return products.length;
}

export interface ProductView {
  id: string;
  title: string;
  category: string[];
  price: number | null;
  available: boolean;
}

export async function getProducts(db: Queryable, ids: readonly string[]): Promise<ProductView[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<ProductView & { price: string | null }>(
    `SELECT id, title, category, price::text AS price, available FROM products WHERE id = ANY($1::text[])`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, { ...r, price: r.price === null ? null : Number(r.price) }]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
