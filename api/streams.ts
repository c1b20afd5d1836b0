import { z } from "zod";
import { operation } from "./operation";

/** The HTTP contract of live streams' data: a creator's streams, follows and stream preferences. */

export const streamParams = z.object({ id: z.uuid() });
export const streamBody = z
  .object({
    title: z.string().trim().min(1).max(140),
    category: z.string().trim().min(1).max(40),
    language: z
      .string()
      .regex(/^[a-z]{2}$/)
      .meta({ description: "ISO 639-1 code, lower case." }),
    city: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .meta({ description: 'A city name, optionally "Name, CC"; its point is stored, never a position.' }),
    live: z.boolean(),
    qualityScore: z.number().min(0).max(1).default(0.5),
    viewerCount: z.number().int().min(0).max(100_000_000).default(0),
    partnered: z.boolean().default(false),
    mature: z.boolean().default(false),
  })
  .strict();
const storedStream = z.object({ id: z.uuid(), city: z.string(), live: z.boolean() });

export const followBody = z.strictObject({ creatorId: z.uuid() });
export const followParams = z.object({ creatorId: z.uuid() });
const followed = z.object({ creatorId: z.uuid() });
export const followsResponse = z.object({
  follows: z.array(z.object({ creatorId: z.uuid(), displayName: z.string(), followedAt: z.iso.datetime() })),
});

export const streamPreferences = z.object({
  categories: z.array(z.string().trim().min(1).max(40)).max(20),
  localStrength: z.number().min(0).max(1).meta({ description: "How much nearby matters, 0-1." }),
  matureAllowed: z.boolean(),
});
export const streamPreferencesBody = streamPreferences
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "name at least one preference to change" });
export type StreamPreferencesBody = z.infer<typeof streamPreferencesBody>;

const streamId = "5c2e8f1a-7b3d-4e9f-a1b2-c3d4e5f60718";
const creator = "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f";
const prefsExample = { categories: ["music", "cooking"], localStrength: 0.7, matureAllowed: false };

export const operations = {
  upsertStream: operation({
    method: "PUT",
    path: "/api/v2/streams/{id}",
    summary: "Create or update one of the caller's streams (live or ended)",
    description:
      "The caller is the creator. The city is resolved offline and the stream is placed at the city's point. " +
      "`live: false` ends it. 403 when the id is someone else's stream.",
    auth: "user",
    params: streamParams,
    body: streamBody,
    bodyExample: {
      title: "Sunday jazz from the Retiro",
      category: "music",
      language: "es",
      city: "Madrid, ES",
      live: true,
      qualityScore: 0.8,
      viewerCount: 120,
      partnered: false,
      mature: false,
    },
    responses: {
      200: {
        description: "Stored.",
        schema: storedStream,
        example: { id: streamId, city: "Madrid, ES", live: true },
      },
    },
    errors: ["forbidden"],
  }),
  follows: operation({
    method: "GET",
    path: "/api/v2/follows",
    summary: "The creators the caller follows, newest first",
    auth: "user",
    responses: {
      200: {
        description: "Followed creators.",
        schema: followsResponse,
        example: { follows: [{ creatorId: creator, displayName: "Alex", followedAt: "2026-12-01T10:00:00.000Z" }] },
      },
    },
  }),
  follow: operation({
    method: "POST",
    path: "/api/v2/follows",
    summary: "Follow a creator (idempotent)",
    auth: "user",
    body: followBody,
    bodyExample: { creatorId: creator },
    responses: { 201: { description: "Following.", schema: followed, example: { creatorId: creator } } },
    errors: ["not_found"],
  }),
  unfollow: operation({
    method: "DELETE",
    path: "/api/v2/follows/{creatorId}",
    summary: "Stop following a creator",
    auth: "user",
    params: followParams,
    responses: { 200: { description: "Not following (any more).", schema: followed, example: { creatorId: creator } } },
  }),
  streamPreferences: operation({
    method: "GET",
    path: "/api/v2/profile/stream-preferences",
    summary: "The caller's live-stream preferences",
    auth: "user",
    responses: {
      200: { description: "Preferences (defaults until changed).", schema: streamPreferences, example: prefsExample },
    },
  }),
  updateStreamPreferences: operation({
    method: "PUT",
    path: "/api/v2/profile/stream-preferences",
    summary: "Change any of the caller's live-stream preferences",
    auth: "user",
    body: streamPreferencesBody,
    bodyExample: { localStrength: 0.7 },
    responses: { 200: { description: "The preferences now.", schema: streamPreferences, example: prefsExample } },
  }),
};
