import { z } from "zod";
import { recommendationSources } from "@/lib/products/sources";
import { productSchema } from "@/lib/products/catalogue";
import { operation } from "./operation";

/** The HTTP contract of product recommendations (seed 000's GET /api/recommendations) and the catalogue import. */

export const MAX_CART_IDS = 50;

/** One product id as a query gives it: PostgreSQL text cannot hold NUL, refused here rather than in the database. */
const productId = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => !id.includes("\u0000"), "contains a NUL character");

/** Comma-separated product ids, `min` to MAX_CART_IDS of them, each at most 200 characters. */
function productIdList(min: number) {
  return z
    .string()
    .max(MAX_CART_IDS * 201)
    .transform((s) =>
      s
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(productId).min(min).max(MAX_CART_IDS));
}

export const recommendationsQuery = z.object({
  userId: z.uuid().optional().meta({ description: "The signed-in person: needs a bearer token whose subject it is." }),
  anonId: z.uuid().optional().meta({ description: "A shop visitor's client-generated id (no token needed)." }),
  limit: z.coerce.number().int().min(1).max(100).default(10),
  context: z
    .string()
    .min(1)
    .max(50)
    .default("homepage")
    .meta({ description: "product-page (needs productId), homepage, cart, or free text (served like homepage)." }),
  productId: productId.optional(),
  cartProductIds: productIdList(0)
    .optional()
    .meta({ description: `Comma-separated product ids in the cart (at most ${MAX_CART_IDS}).` }),
});
export type RecommendationsQuery = z.output<typeof recommendationsQuery>;

export const recommendationsResponse = z.object({
  requestId: z.string().meta({
    description:
      "The id the list's impressions are logged under; send it back as events' context.requestId (clicks, carts and purchases are credited to the list).",
  }),
  products: z.array(
    z.object({
      id: z.string(),
      score: z.number(),
      reason: z.string(),
      explored: z
        .literal(true)
        .optional()
        .meta({ description: "Placed by exploration: a product ranked just beyond the list's cut (seed 001)." }),
    }),
  ),
  modelVersion: z
    .string()
    .nullable()
    .meta({ description: "The daily model that answered; null before the first batch." }),
  generatedAt: z.string(),
  source: z.enum(recommendationSources).meta({ description: "Which path answered." }),
});
export type RecommendationsResponse = z.infer<typeof recommendationsResponse>;

export const productsQuery = z.object({
  ids: productIdList(1).meta({ description: `Comma-separated product ids (1-${MAX_CART_IDS}).` }),
});

export const productsResponse = z.object({
  products: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      category: z.array(z.string()),
      price: z.number().nullable(),
      available: z.boolean(),
    }),
  ),
});
export type ProductsResponse = z.infer<typeof productsResponse>;

export const productsImportBody = z.object({ products: z.array(productSchema).min(1).max(200) }).strict();

export const operations = {
  recommend: operation({
    method: "GET",
    path: "/api/recommendations",
    summary: "Recommended products",
    description:
      "For a signed-in person (`userId` with their bearer token: none 401, another person's id 403) or a visitor " +
      "(`anonId`, no token); neither is 400. Paths, each named in `source`: `personal` (the daily batch's list), " +
      "`session` (the latest events' neighbours), `item-to-item` (product page and cart: what is on the page or in " +
      "the cart is left out), `category` (popular in the categories looked at), `popular`. Unavailable products are " +
      "never recommended; at most 30% of a list from one top-level category while others remain. With " +
      "`recommendations` off: popular only. 503 only when the catalogue has nothing available.",
    auth: "optional",
    query: recommendationsQuery,
    responses: {
      200: {
        description: "The products, best first.",
        schema: recommendationsResponse,
        example: {
          requestId: "5f1d2c3b-8a7e-4f60-9b1c-2d3e4f5a6b7c",
          products: [{ id: "sku-1042", score: 0.4312, reason: "People who liked this also liked" }],
          modelVersion: "products-ease-20261201T030000",
          generatedAt: "2026-12-01T03:00:12.000Z",
          source: "item-to-item",
        },
      },
    },
    errors: ["forbidden", "no_recommendations"],
  }),
  products: operation({
    method: "GET",
    path: "/api/v2/products",
    summary: "Catalogue products by id",
    description:
      "What the shop page shows for the ids a recommendation list names: title, category path, price and " +
      "availability, in the order asked; unknown ids are left out. The catalogue is public: no token needed.",
    auth: "none",
    query: productsQuery,
    responses: {
      200: {
        description: "The products found.",
        schema: productsResponse,
        example: {
          products: [
            { id: "sku-1042", title: "Chef's knife", category: ["Home", "Kitchen"], price: 39.5, available: true },
          ],
        },
      },
    },
  }),
  importProducts: operation({
    method: "POST",
    path: "/api/v2/products",
    summary: "Add or replace catalogue products (staff)",
    description:
      "Up to 200 products by id ({id, title, category (path from the top), price, available, attributes}); a " +
      "product with a known id is replaced. Larger catalogues: `npm run job -- products-import <file.csv|jsonl>`.",
    auth: { role: "staff" },
    body: productsImportBody,
    bodyExample: {
      products: [
        { id: "sku-1042", title: "Chef's knife", category: ["Home", "Kitchen"], price: 39.5, available: true },
      ],
    },
    responses: {
      200: {
        description: "How many were written.",
        schema: z.object({ written: z.number().int() }),
        example: { written: 1 },
      },
    },
  }),
};
