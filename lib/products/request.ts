import type { Viewer } from "../auth/tokens";
import { AuthError } from "../auth/tokens";
import type { Db } from "../db/types";
import { HttpError } from "../http/errors";
import { upsertProducts, type Product } from "./catalogue";
import { recommendProducts, type RecommendationAnswer } from "./recommend";

export interface RecommendationParams {
  userId?: string;
  anonId?: string;
  limit: number;
  context: string;
  productId?: string;
  cartProductIds?: string[];
}

/**
 * Seed 000's access rule: `userId` needs a token whose subject it is (none 401, another person's
 * 403); `anonId` needs no token; neither is 400. A product page needs its productId.
 */
export async function recommendationsFor(
  db: Db,
  viewer: Viewer | null,
  q: RecommendationParams,
  now = new Date(),
): Promise<RecommendationAnswer> {
  if (q.userId) {
    if (!viewer) throw new AuthError("userId needs a bearer token (Authorization: Bearer <access token>)");
    if (viewer.userId !== q.userId)
      throw new HttpError(403, "forbidden", "userId must be the token's own user", "userId");
  } else if (!q.anonId) {
    throw new HttpError(400, "invalid_input", "give userId (with a bearer token) or anonId", "userId");
  }
  if (q.context === "product-page" && !q.productId) {
    throw new HttpError(400, "invalid_input", "context=product-page needs productId", "productId");
  }
  return recommendProducts(
    db,
    {
      userId: q.userId ?? null,
      anonId: q.userId ? null : (q.anonId ?? null),
      limit: q.limit,
      context: q.context,
      productId: q.productId,
      cartProductIds: q.cartProductIds,
    },
    now,
  );
}

/** The staff route's import: the products in one transaction. */
export async function importProducts(db: Db, products: Product[]): Promise<{ written: number }> {
  return { written: await db.transaction((tx) => upsertProducts(tx, products)) };
}
