import { z } from "zod";

export const mediaSearchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  type: z.enum(["film", "book", "music"]).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const mediaSearchResponse = z.object({
  items: z.array(
    z.object({
      mediaId: z.string(),
      title: z.string(),
      mediaType: z.enum(["film", "book", "music"]),
      year: z.number().int().nullable(),
    }),
  ),
});
