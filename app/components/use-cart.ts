"use client";

import { useCallback, useEffect, useState } from "react";
import type { ProductsResponse } from "@/api/client";

export type ShopProduct = ProductsResponse["products"][number];

// sessionStorage, like the demo session: the cart lasts as long as the tab.
const STORAGE_KEY = "mesh.cart";

function readCart(): ShopProduct[] {
  try {
    const parsed: unknown = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(parsed) ? (parsed as ShopProduct[]).filter((p) => typeof p?.id === "string") : [];
  } catch {
    return [];
  }
}

/** The shop's cart, kept in this tab across reloads; the recommender hears about it through events. */
export function useCart() {
  const [items, setItems] = useState<ShopProduct[]>([]);
  useEffect(() => setItems(readCart()), []);

  const save = useCallback((next: ShopProduct[]) => {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setItems(next);
  }, []);
  const add = useCallback(
    (product: ShopProduct) => save([...readCart().filter((p) => p.id !== product.id), product]),
    [save],
  );
  const remove = useCallback((id: string) => save(readCart().filter((p) => p.id !== id)), [save]);
  const clear = useCallback(() => save([]), [save]);
  return { items, add, remove, clear };
}
