"use client";

import type { RecommendationsRequest } from "@/api/client";
import type { ShopProduct } from "./use-cart";
import { useRecommended } from "./use-recommended";
import { ProductCard } from "./ProductCard";
import { useLocale } from "./locale";
import { noticeStyle } from "./styles";

interface ProductListProps {
  title: string;
  /** What to ask GET /api/recommendations for (the signed-in person's id is added). */
  request: Omit<RecommendationsRequest, "userId"> & { context: string };
  /** `requestId` is the list's (its impressions'), so the click is credited to it. */
  onOpen: (product: ShopProduct, surface: string, requestId?: string) => void;
}

/** One recommendation list as a grid of products, with the path (`source`) that answered it. */
export function ProductList({ title, request, onOpen }: ProductListProps) {
  const { t } = useLocale();
  const load = useRecommended(request);
  const surface = `shop-${request.context}`;
  return (
    <section
      aria-label={title}
      data-testid="shop-list"
      data-context={request.context}
      data-source={load.state === "ready" ? load.source : undefined}
    >
      <h2>{title}</h2>
      {load.state === "loading" && <p role="status">{t("common.loading")}</p>}
      {load.state === "error" && <p style={noticeStyle}>{t("common.error", { message: load.message })}</p>}
      {load.state === "ready" && (
        <>
          <p data-testid="shop-source" style={{ color: "#4b5563", marginTop: 0 }}>
            {t("shop.source", { source: load.source, label: t(`shop.source.${load.source}`) })}
          </p>
          {load.products.length === 0 && <p>{t("shop.empty")}</p>}
          <ul
            style={{
              display: "grid",
              gridTemplateColumns: "repeat(auto-fill, minmax(190px, 1fr))",
              gap: "0.75rem",
              listStyle: "none",
              padding: 0,
            }}
          >
            {load.products.map((p) => (
              <li key={p.id}>
                <ProductCard product={p} onOpen={() => onOpen(p, surface, load.requestId)} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
