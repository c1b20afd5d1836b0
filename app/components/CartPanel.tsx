"use client";

import type { ShopProduct } from "./use-cart";
import { usePrice } from "./ProductCard";
import { ProductList } from "./ProductList";
import { useLocale } from "./locale";
import { buttonStyle, cardStyle, secondaryButtonStyle } from "./styles";

interface CartPanelProps {
  items: ShopProduct[];
  onRemove: (id: string) => void;
  onBuy: () => void;
  onOpen: (product: ShopProduct, surface: string, requestId?: string) => void;
}

/** The cart: what is in it, "Buy", and "complete your cart" (recommended without what is already in it). */
export function CartPanel({ items, onRemove, onBuy, onOpen }: CartPanelProps) {
  const { t } = useLocale();
  const price = usePrice();
  return (
    <section aria-labelledby="cart-title" data-testid="cart" style={{ ...cardStyle, marginBottom: "1rem" }}>
      <h2 id="cart-title" style={{ marginTop: 0 }}>
        {t("shop.cart")}
      </h2>
      {items.length === 0 && <p>{t("shop.cartEmpty")}</p>}
      <ul style={{ paddingLeft: "1rem" }}>
        {items.map((p) => (
          <li key={p.id} data-testid="cart-item" data-product-id={p.id} style={{ marginBottom: "0.25rem" }}>
            {p.title} · {price(p.price)}{" "}
            <button type="button" onClick={() => onRemove(p.id)} style={secondaryButtonStyle}>
              {t("shop.remove")}
            </button>
          </li>
        ))}
      </ul>
      {items.length > 0 && (
        <>
          <button type="button" data-testid="buy" onClick={onBuy} style={buttonStyle}>
            {t("shop.buy")}
          </button>
          <ProductList
            title={t("shop.completeCart")}
            request={{ context: "cart", cartProductIds: items.map((p) => p.id).join(","), limit: 6 }}
            onOpen={onOpen}
          />
        </>
      )}
    </section>
  );
}
