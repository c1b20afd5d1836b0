import { z } from "zod";
import { feedbackActions } from "@/lib/discovery/feedback-actions";
import { distanceBands } from "@/lib/discovery/types";
import { readCursor } from "@/lib/http/cursor";
import { locales } from "@/lib/i18n/locales";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/discovery/* (people to meet, why, and swipes). */

/** ?cursor=: an opaque token from nextCursor ("the slate from this position on"), read as the offset. */
const offsetCursor = z.object({ o: z.number().int().min(0).max(10_000) });
const cursorSchema = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const parsed = offsetCursor.safeParse(readCursor(value));
    if (parsed.success) return parsed.data.o;
    ctx.addIssue({ code: "custom", message: "not a cursor returned by this endpoint" });
    return z.NEVER;
  })
  .meta({ description: "nextCursor of the previous page." });

const locale = z
  .enum(locales)
  .meta({ description: "Language of the reasons; default Accept-Language, then the profile." });

export const candidatesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional(),
  locale: locale.optional(),
});
export type CandidatesQuery = z.infer<typeof candidatesQuery>;

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
  explored: z.boolean().meta({
    description:
      "True when an exploration slot placed this person (someone rarely shown), not their rank: clients and metrics can tell them apart.",
  }),
});
export type CandidateDto = z.infer<typeof candidate>;

export const candidatesResponse = z.object({
  candidates: z.array(candidate),
  modelVersion: z.string(),
  generatedAt: z.string(),
  cached: z.boolean(),
  stale: z.boolean().meta({
    description:
      "True when the database was unavailable and this is the page you were shown last (within 10 minutes), from the server's memory: it may miss changes made since.",
  }),
  /** Pass as ?cursor= for the next page; null at the end of the slate. */
  nextCursor: z.string().nullable(),
  requestId: z.string().meta({
    description:
      "The id this page's impressions are logged under: send it back as context.requestId with the events about these cards.",
  }),
});
export type CandidatesResponse = z.infer<typeof candidatesResponse>;

export const whyParams = z.object({ targetId: z.uuid() });
export const whyQuery = z.object({ locale: locale.optional() });
export const whyResponse = candidate.extend({ modelVersion: z.string() });
export type WhyResponse = z.infer<typeof whyResponse>;

export const feedbackBody = z.object({
  targetId: z.uuid(),
  action: z.enum(feedbackActions),
});
export const feedbackResponse = z.object({ recorded: z.literal(true), id: z.number().int() });
export const feedbackNotStoredResponse = z.object({ recorded: z.literal(false), id: z.null() });

const someone = {
  userId: "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f",
  displayName: "Alex",
  score: 0.82,
  reasons: ["You both love Blade Runner", "Lives nearby"],
  sharedFavorites: {
    count: 4,
    titles: ["Blade Runner"],
    items: [{ title: "Blade Runner", coverUrl: "https://image.tmdb.org/t/p/w300/63N9uy8nd9j7Eog2axPQ8lbr3Wj.jpg" }],
  },
  distanceBand: "5to25",
  explored: false,
};

export const operations = {
  candidates: operation({
    method: "GET",
    path: "/api/v2/discovery/candidates",
    summary: "People to meet, ranked, one page of the viewer's slate",
    description:
      "The slate is built once (retrieval, ranker, safety, fairness, diversity) and cached; pages read it with the cursor. Opted-out, blocked and non-discoverable people never appear.",
    auth: "user",
    query: candidatesQuery,
    responses: {
      200: {
        description: "One page of suggestions with 1-2 reasons each, in the asked language.",
        schema: candidatesResponse,
        headers: { "server-timing": "Stage durations of an uncached slate (no ids, no scores)." },
        example: {
          candidates: [someone],
          modelVersion: "prior",
          generatedAt: "2026-11-25T10:00:00.000Z",
          cached: false,
          stale: false,
          nextCursor: "eyJvIjo1MH0",
          requestId: "5b1f0c7e-2a4d-4e8b-9c3f-7d6e5a4b3c2d",
        },
      },
    },
    errors: ["unknown_viewer", "discovery_unavailable"],
  }),
  why: operation({
    method: "GET",
    path: "/api/v2/discovery/why/{targetId}",
    summary: "Why this person is (or would be) suggested",
    auth: "user",
    params: whyParams,
    query: whyQuery,
    responses: {
      200: {
        description: "The candidate as the slate shows it.",
        schema: whyResponse,
        example: { ...someone, modelVersion: "prior" },
      },
    },
    errors: ["not_found", "unknown_viewer"],
  }),
  feedback: operation({
    method: "POST",
    path: "/api/v2/discovery/feedback",
    summary: "Record a swipe, a click or a connection request",
    auth: "user",
    body: feedbackBody,
    bodyExample: { targetId: someone.userId, action: "connect" },
    responses: {
      201: { description: "Recorded.", schema: feedbackResponse, example: { recorded: true, id: 42 } },
      202: {
        description:
          "Not stored: a click from someone whose behaviour category is off (no behavioural signal is kept about them).",
        schema: feedbackNotStoredResponse,
        example: { recorded: false, id: null },
      },
    },
    errors: ["not_found", "no_pending_request"],
  }),
};
