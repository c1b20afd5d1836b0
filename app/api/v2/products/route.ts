import { operations } from "@/api/recommendations";
import { importProducts } from "@/lib/products/request";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const POST = route(operations.importProducts, async ({ db, body }) => importProducts(await db(), body.products));
