"use client";

import { useState } from "react";
import { CartPanel } from "./CartPanel";
import { ProductList } from "./ProductList";
import { ProductPanel } from "./ProductPanel";
import { RequireSession } from "./RequireSession";
import { productEvent, sendShopEvents } from "./shop-events";
import { useCart, type ShopProduct } from "./use-cart";
import { useLocale } from "./locale";
import { useSession } from "./session";
import { noticeStyle } from "./styles";

/**
 * /shop: the demo shop on the product recommender. The home list (context=homepage), a product
 * panel with "people also liked" (context=product-page) and the cart with "complete your cart"
 * (context=cart); opening, adding and buying send view, click, add_to_cart and purchase events.
 */
export function ShopPage() {
  const { t } = useLocale();
  return (
    <>
      <h1>{t("shop.title")}</h1>
      <p>{t("shop.intro")}</p>
      <RequireSession>
        <Shop />
      </RequireSession>
    </>
  );
}

function Shop() {
  const { t } = useLocale();
  const { api } = useSession();
  const cart = useCart();
  const [open, setOpen] = useState<ShopProduct | null>(null);
  const [bought, setBought] = useState<number | null>(null);

  const openProduct = (product: ShopProduct, surface: string, requestId?: string) => {
    sendShopEvents(api, [
      productEvent("click", product.id, surface, requestId),
      productEvent("view", product.id, "shop-product"),
    ]);
    setOpen(product);
    setBought(null);
    window.scrollTo({ top: 0 });
  };
  const addToCart = (product: ShopProduct) => {
    sendShopEvents(api, [productEvent("add_to_cart", product.id, "shop-product")]);
    cart.add(product);
  };
  const buy = () => {
    sendShopEvents(
      api,
      cart.items.map((p) => productEvent("purchase", p.id, "shop-cart")),
    );
    setBought(cart.items.length);
    cart.clear();
  };

  return (
    <>
      {bought !== null && (
        <p role="status" data-testid="shop-notice" style={noticeStyle}>
          {t("shop.bought", { count: bought })}
        </p>
      )}
      {open && (
        <ProductPanel
          key={open.id}
          product={open}
          inCart={cart.items.some((p) => p.id === open.id)}
          onAdd={() => addToCart(open)}
          onClose={() => setOpen(null)}
          onOpen={openProduct}
        />
      )}
      <CartPanel items={cart.items} onRemove={cart.remove} onBuy={buy} onOpen={openProduct} />
      <ProductList title={t("shop.forYou")} request={{ context: "homepage", limit: 12 }} onOpen={openProduct} />
    </>
  );
}
