import { operations } from "@/api/recommendations";
import { getProducts } from "@/lib/products/catalogue";
import { importProducts } from "@/lib/products/request";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.products, async ({ readDb, query }) => ({
  products: await getProducts(await readDb(), query.ids),
}));

export const POST = route(operations.importProducts, async ({ db, body }) => importProducts(await db(), body.products));
