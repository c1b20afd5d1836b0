import { z } from "zod";
import { feedbackActions } from "@/lib/discovery/feedback-actions";
import { distanceBands } from "@/lib/discovery/types";

/** Pagination cursor: an opaque token for "the slate from this position on". */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

const cursorSchema = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    try {
      const parsed = z
        .object({ o: z.number().int().min(0).max(10_000) })
        .parse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
      return parsed.o;
    } catch {
      ctx.addIssue({ code: "custom", message: "not a cursor returned by this endpoint" });
      return z.NEVER;
    }
  });

export const candidatesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional(),
  locale: z.enum(["en", "es"]).optional(),
});
export type CandidatesQuery = z.infer<typeof candidatesQuery>;

/** Parses the query string (repeated parameters: the last wins). */
export function parseCandidatesQuery(url: URL): CandidatesQuery {
  return candidatesQuery.parse(Object.fromEntries(url.searchParams));
}

/** A favorite both people share, with its cover art where the catalogue knows one (https only). */
export const sharedFavorite = z.object({
  title: z.string(),
  coverUrl: z.url({ protocol: /^https$/ }).nullable(),
});

export const candidate = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  score: z.number(),
  reasons: z.array(z.string()),
  sharedFavorites: z.object({
    /** How many favorites the two share. */
    count: z.number().int(),
    /** Up to three shared titles, best-rated first (kept for older clients; `items` adds covers). */
    titles: z.array(z.string()),
    /** The same titles with cover art: at most three. */
    items: z.array(sharedFavorite).max(3),
  }),
  /**
   * How far away they are, as a band ("lt5": under 5 km, "5to25", "25to100", "100plus"); null when
   * unknown or when either person keeps location off. The exact distance is never sent.
   */
  distanceBand: z.enum(distanceBands).nullable(),
});
export type CandidateDto = z.infer<typeof candidate>;

export const candidatesResponse = z.object({
  candidates: z.array(candidate),
  modelVersion: z.string(),
  generatedAt: z.string(),
  cached: z.boolean(),
  /** Pass as ?cursor= for the next page; null at the end of the slate. */
  nextCursor: z.string().nullable(),
});
export type CandidatesResponse = z.infer<typeof candidatesResponse>;

export const whyParams = z.object({ targetId: z.uuid() });

export const whyResponse = candidate.extend({ modelVersion: z.string() });
export type WhyResponse = z.infer<typeof whyResponse>;

export const whyQuery = z.object({ locale: z.enum(["en", "es"]).optional() });

export const feedbackBody = z.object({
  targetId: z.uuid(),
  action: z.enum(feedbackActions),
});

export const feedbackResponse = z.object({ recorded: z.literal(true), id: z.number().int() });
