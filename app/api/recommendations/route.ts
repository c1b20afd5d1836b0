import { operations } from "@/api/recommendations";
import { recommendationsFor } from "@/lib/products/request";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.recommend, async ({ viewer, db, query }) =>
  recommendationsFor(await db(), viewer, query),
);
