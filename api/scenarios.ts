import { z } from "zod";
import { operation } from "./operation";

/**
 * The seed's scenario contracts, served under /v1 (a rewrite to app/api/v1/, so the proxy's rate
 * limits, CORS and headers and the route wrapper apply as to every route). Field names are the
 * seed's (snake_case).
 */

export const hometownBody = z.strictObject({
  user_id: z.uuid().meta({ description: "Must be the token's subject (403 otherwise)." }),
  max_results: z.number().int().min(1).max(100).default(20),
});
const hometownStream = z.object({
  stream_id: z.uuid(),
  creator_id: z.uuid(),
  title: z.string(),
  category: z.string(),
  language: z.string(),
  city: z.string(),
  viewer_count: z.number().int(),
  score: z.number(),
  distance_km: z.number().nullable().meta({ description: "Null when the viewer's location is not used." }),
  reasons: z.array(z.string()).meta({ description: "One per score term." }),
});
export const hometownResponse = z.object({ streams: z.array(hometownStream) });
export type HometownResponse = z.infer<typeof hometownResponse>;

export const hometownStatsResponse = z.object({
  total_streams: z.number().int(),
  live_streams: z.number().int(),
  total_users: z.number().int(),
  cities_covered: z.number().int(),
  top_cities: z.array(z.object({ city: z.string(), live_streams: z.number().int() })),
  algorithm: z.string(),
});

const feedContext = {
  ctx_timestamp: z.iso.datetime({ offset: true }).optional().meta({ description: "The client's time (logged)." }),
  ctx_device: z.string().trim().min(1).max(40).optional().meta({ description: "e.g. web, ios (logged)." }),
  ctx_locale: z
    .string()
    .regex(/^[a-zA-Z]{2}([-_][a-zA-Z0-9]{2,8})?$/)
    .optional()
    .meta({ description: "BCP 47; its language is used only when the profile has none." }),
};
export const homeFeedBody = z.strictObject({
  user_id: z.uuid().meta({ description: "Must be the token's subject (403 otherwise)." }),
  ...feedContext,
});
export const categoryFeedBody = z.strictObject({
  user_id: z.uuid().meta({ description: "Must be the token's subject (403 otherwise)." }),
  category_id: z.string().trim().toLowerCase().min(1).max(40).meta({ description: "A stream category, e.g. music." }),
  ...feedContext,
});
export const feedResponse = z.object({
  request_id: z.uuid().meta({
    description: "Send it back as context.requestId on watch events: the watch time becomes a training label.",
  }),
  model_version: z
    .string()
    .meta({ description: "The stage-2 ranker that ordered the list (feed-default-v1 until trained)." }),
  streams: z.array(
    z.object({
      stream_id: z.uuid(),
      creator_id: z.uuid(),
      title: z.string(),
      category: z.string(),
      viewer_count: z.number().int(),
      score: z.number(),
      reason: z.string().meta({ description: "The strongest term of the score, or the exploration slot." }),
    }),
  ),
});
export type FeedResponse = z.infer<typeof feedResponse>;
const feedExample = {
  request_id: "0b6f3c1e-9a4d-4e2f-8b7a-6c5d4e3f2a1b",
  model_version: "feed-pairwise-20261202T033000",
  streams: [
    {
      stream_id: "5c2e8f1a-7b3d-4e9f-a1b2-c3d4e5f60718",
      creator_id: "3b1f2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      title: "Sunday jazz from the Retiro",
      category: "music",
      viewer_count: 120,
      score: 2.31,
      reason: "From a creator you follow",
    },
  ],
};
const feedDescription =
  "Two stages: about 200 live candidates (creators like those the caller watched, by the item engine fitted " +
  "daily on watch events; the most watched in the caller's preferred categories (or the category) and overall; " +
  "followed and watched creators), then a pairwise logistic ranker trained from watch time (hand-set default " +
  "weights until trained, said in every reason). Top 30, at most 2 per creator";

const viewer = "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f";

export const operations = {
  hometown: operation({
    method: "POST",
    path: "/v1/scenarios/hometown",
    summary: "HOMETOWN: live streams near the caller, ranked by proximity, quality and preference",
    description:
      "Score = 1/(1+distance_km) × local preference strength + 0.5 × quality + 0.3 (language match) + 0.2 " +
      "(preferred category), plus, once the daily batch has trained one from watch events, a learned term " +
      "0.5 × σ(w·x) (its reason names the model; until then a reason says the term is off); each term a reason. Only live streams; mature ones only when allowed. With the " +
      "`location` switch off (or no location on the profile) no location is used: the most watched live streams " +
      "in the caller's language, and every reason says so.",
    auth: "user",
    body: hometownBody,
    bodyExample: { user_id: viewer, max_results: 10 },
    responses: {
      200: {
        description: "Streams, best first.",
        schema: hometownResponse,
        example: {
          streams: [
            {
              stream_id: "5c2e8f1a-7b3d-4e9f-a1b2-c3d4e5f60718",
              creator_id: "3b1f2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
              title: "Sunday jazz from the Retiro",
              category: "music",
              language: "es",
              city: "Madrid, ES",
              viewer_count: 120,
              score: 1.4,
              distance_km: 0,
              reasons: [
                "Near you: Madrid, ES, 0 km away (proximity 1 × local preference 0.5 = +0.5)",
                "Stream quality 0.8 (+0.4)",
                "In your language, es (+0.3)",
                "A category you like: music (+0.2)",
                "Learned term off: no model trained from watch events yet",
              ],
            },
          ],
        },
      },
    },
    errors: ["forbidden"],
  }),
  homeFeed: operation({
    method: "POST",
    path: "/v1/scenarios/home_feed",
    summary: "Home feed: live streams picked for the caller (two-stage: candidates, then a learned ranker)",
    description: `${feedDescription} and 30% per category, one exploration slot. Only live streams; mature ones only when allowed. Impressions are logged under request_id. The same list may be served again for up to 60 s while the caller's follows, stream preferences and blocks, the ranker and the shown streams' liveness are unchanged, with a fresh request_id (its impressions logged as cached).`,
    auth: "user",
    body: homeFeedBody,
    bodyExample: { user_id: viewer, ctx_timestamp: "2026-12-02T20:15:00Z", ctx_device: "web", ctx_locale: "en-GB" },
    responses: { 200: { description: "Up to 30 streams, best first.", schema: feedResponse, example: feedExample } },
    errors: ["forbidden", "not_found"],
  }),
  categoryFeed: operation({
    method: "POST",
    path: "/v1/scenarios/category_feed",
    summary: "Category feed: the home feed's two stages within one category",
    description: `${feedDescription}, one exploration slot. Only live streams of the category; mature ones only when allowed.`,
    auth: "user",
    body: categoryFeedBody,
    bodyExample: { user_id: viewer, category_id: "music", ctx_device: "web" },
    responses: { 200: { description: "Up to 30 streams, best first.", schema: feedResponse, example: feedExample } },
    errors: ["forbidden", "not_found"],
  }),
  hometownStats: operation({
    method: "GET",
    path: "/v1/scenarios/hometown/stats",
    summary: "HOMETOWN figures: streams, users, cities covered, top cities, the algorithm",
    auth: "none",
    responses: {
      200: {
        description: "Counts only; nobody is named.",
        schema: hometownStatsResponse,
        example: {
          total_streams: 3000,
          live_streams: 900,
          total_users: 2000,
          cities_covered: 12,
          top_cities: [{ city: "Madrid, ES", live_streams: 140 }],
          algorithm: "hometown-v1: …",
        },
      },
    },
  }),
};
