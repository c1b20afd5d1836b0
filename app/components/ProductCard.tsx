"use client";

import type { ShopProduct } from "./use-cart";
import { useLocale } from "./locale";
import { cardStyle } from "./styles";

/** A product's price in the page's language (the demo catalogue has no currency). */
export function usePrice(): (price: number | null) => string {
  const { locale } = useLocale();
  const format = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (price) => (price === null ? "" : format.format(price));
}

/** One product in a list: a button that opens it. */
export function ProductCard({ product, onOpen }: { product: ShopProduct; onOpen: () => void }) {
  const price = usePrice();
  return (
    <button
      type="button"
      data-testid="product-card"
      data-product-id={product.id}
      onClick={onOpen}
      style={{ ...cardStyle, width: "100%", height: "100%", textAlign: "left", cursor: "pointer", font: "inherit" }}
    >
      <span style={{ display: "block", fontWeight: 600 }}>{product.title}</span>
      <span style={{ display: "block", color: "#4b5563", fontSize: "0.9rem" }}>{product.category.join(" › ")}</span>
      <span style={{ display: "block", marginTop: "0.25rem" }}>{price(product.price)}</span>
    </button>
  );
}
