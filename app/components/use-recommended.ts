"use client";

import { useEffect, useState } from "react";
import type { RecommendationsRequest, RecommendationsResponse } from "@/api/client";
import type { ShopProduct } from "./use-cart";
import { useSession } from "./session";

export type RecommendedLoad =
  | { state: "loading" }
  | { state: "ready"; source: RecommendationsResponse["source"]; requestId: string; products: ShopProduct[] }
  | { state: "error"; message: string };

/**
 * One recommendation list for the signed-in person (GET /api/recommendations with their userId),
 * with each product's title, category and price from the catalogue. Asked again when the request
 * changes (another product page, a different cart).
 */
export function useRecommended(request: Omit<RecommendationsRequest, "userId">): RecommendedLoad {
  const { api, session } = useSession();
  const [load, setLoad] = useState<RecommendedLoad>({ state: "loading" });
  const userId = session?.userId;
  const key = JSON.stringify(request);

  useEffect(() => {
    if (!userId) return;
    let live = true;
    setLoad({ state: "loading" });
    (async () => {
      const answer = await api.recommendations({ ...(JSON.parse(key) as typeof request), userId });
      const ids = answer.products.map((p) => p.id);
      const details = ids.length ? await api.products(ids) : { products: [] };
      if (live)
        setLoad({ state: "ready", source: answer.source, requestId: answer.requestId, products: details.products });
    })().catch(
      (err: unknown) => live && setLoad({ state: "error", message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [api, userId, key]);

  return load;
}
