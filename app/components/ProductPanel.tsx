"use client";

import type { ShopProduct } from "./use-cart";
import { usePrice } from "./ProductCard";
import { ProductList } from "./ProductList";
import { useLocale } from "./locale";
import { buttonStyle, cardStyle, secondaryButtonStyle } from "./styles";

interface ProductPanelProps {
  product: ShopProduct;
  inCart: boolean;
  onAdd: () => void;
  onClose: () => void;
  onOpen: (product: ShopProduct, surface: string, requestId?: string) => void;
}

/** The product page (a panel on /shop): the product, "Add to cart" and "people also liked". */
export function ProductPanel({ product, inCart, onAdd, onClose, onOpen }: ProductPanelProps) {
  const { t } = useLocale();
  const price = usePrice();
  return (
    <section
      aria-labelledby="product-title"
      data-testid="product-panel"
      data-product-id={product.id}
      style={{ ...cardStyle, marginBottom: "1rem" }}
    >
      <h2 id="product-title" style={{ marginTop: 0 }}>
        {product.title}
      </h2>
      <p>
        {product.category.join(" › ")} · {price(product.price)}
        {!product.available && ` · ${t("shop.unavailable")}`}
      </p>
      <div style={{ display: "flex", gap: "0.5rem" }}>
        <button
          type="button"
          data-testid="add-to-cart"
          disabled={inCart || !product.available}
          onClick={onAdd}
          style={buttonStyle}
        >
          {inCart ? t("shop.inCart") : t("shop.addToCart")}
        </button>
        <button type="button" onClick={onClose} style={secondaryButtonStyle}>
          {t("shop.close")}
        </button>
      </div>
      <ProductList
        title={t("shop.alsoLiked")}
        request={{ context: "product-page", productId: product.id, limit: 6 }}
        onOpen={onOpen}
      />
    </section>
  );
}
