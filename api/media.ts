import { z } from "zod";
import { mediaTypes } from "@/lib/media/types";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/media/*: the catalogue, as manual entry searches it. */

export const mediaSearchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  type: z.enum(mediaTypes).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const mediaSearchResponse = z.object({
  items: z.array(
    z.object({
      mediaId: z.string(),
      title: z.string(),
      mediaType: z.enum(mediaTypes),
      year: z.number().int().nullable(),
    }),
  ),
});
export type MediaSuggestion = z.infer<typeof mediaSearchResponse>["items"][number];

export const operations = {
  searchMedia: operation({
    method: "GET",
    path: "/api/v2/media/search",
    summary: "Title auto-complete for manual entry",
    description: "Exact, then prefix, then word-prefix, then fuzzy matches over titles and their aliases, best first.",
    auth: "user",
    query: mediaSearchQuery,
    responses: {
      200: {
        description: "Matching titles.",
        schema: mediaSearchResponse,
        example: { items: [{ mediaId: "imdb:tt0083658", title: "Blade Runner", mediaType: "film", year: 1982 }] },
      },
    },
  }),
};
