import { operation } from "./operation";

/** The HTTP contract of /api/og/*: images for sharing. */

export const operations = {
  twinCard: operation({
    method: "GET",
    path: "/api/og/twin",
    summary: 'The share card: "Your cultural twin is <first name>, because you both love …"',
    description:
      "A 1200x630 PNG from the viewer's top candidate: only a first name and something the viewer loves too. The token may come as ?token= so the card can be an <img src> or a link preview.",
    auth: "user",
    tokenInQuery: true,
    responses: { 200: { description: "The card.", contentType: "image/png" } },
    errors: ["unknown_viewer", "discovery_unavailable"],
  }),
};
