/** What a client may report (POST /api/v2/events); the contract and the store read these lists. */
export const clientEventKinds = [
  "view",
  "dwell",
  "scroll_pause",
  "reaction",
  "open_profile",
  "click",
  "add_to_cart",
  "purchase",
  "search",
  "search_result_click",
  "join_room",
  "watch",
] as const;
export type ClientEventKind = (typeof clientEventKinds)[number];

export const eventTargetTypes = ["person", "room", "product", "stream"] as const;
export type EventTargetType = (typeof eventTargetTypes)[number];

/** At most this many events per request. */
export const MAX_EVENTS_PER_BATCH = 100;
