import type { ApiClient, ClientEvent } from "@/api/client";

/** The shop's events: what the product recommender learns from (purchase 5, add_to_cart 3, click 2, view 1). */
export type ShopEventKind = "view" | "click" | "add_to_cart" | "purchase";

/** `requestId`: the recommendation list the product was picked from, when it was. */
export function productEvent(kind: ShopEventKind, productId: string, surface: string, requestId?: string): ClientEvent {
  return {
    id: crypto.randomUUID(),
    kind,
    targetType: "product",
    targetId: productId,
    context: requestId ? { surface, requestId } : { surface },
    clientTime: new Date().toISOString(),
  };
}

/**
 * Sends the events at once (a shop page has few). A batch that fails is reported, not retried:
 * the person's cart and purchase stand either way, only the recommender misses the signal.
 */
export function sendShopEvents(api: ApiClient, events: ClientEvent[]): void {
  api.sendEvents(events).catch((err: unknown) => {
    console.warn(`mesh: ${events.length} shop events not sent: ${err instanceof Error ? err.message : err}`);
  });
}
