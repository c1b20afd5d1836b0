import { z } from "zod";
import { clientEventKinds, eventTargetTypes } from "@/lib/events/kinds";
import { MAX_DWELL_MS } from "@/lib/events/event-schema";
import { MAX_EVENTS_PER_BATCH } from "@/lib/events/kinds";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/events: behavioural signals from the pages and apps. */

export const eventsBody = z
  .object({
    // Each event is checked on its own (see the answer's `rejected`), so the list takes anything.
    events: z
      .array(z.unknown())
      .min(1)
      .max(MAX_EVENTS_PER_BATCH)
      .meta({
        description:
          `1-${MAX_EVENTS_PER_BATCH} events, each {id (a client-generated UUID), kind (${clientEventKinds.join(", ")}), ` +
          `targetType (${eventTargetTypes.join(", ")}), targetId, dwellMs? (0-${MAX_DWELL_MS}), watchMs?, query?, ` +
          "context?: {requestId?, surface?}, clientTime (ISO 8601 with offset)}.",
      }),
    anonId: z
      .uuid()
      .optional()
      .meta({ description: "A shop visitor's client-generated id, when there is no access token." }),
  })
  .strict();

export const eventsResponse = z.object({
  accepted: z.number().int().meta({ description: "Events stored now (durable when this answer arrives)." }),
  duplicates: z.number().int().meta({ description: "Events whose id was stored before: not stored again." }),
  rejected: z.array(
    z.object({
      index: z.number().int(),
      field: z.string().nullable(),
      code: z.enum(["invalid", "implausible", "rate_limited"]),
    }),
  ),
  stored: z.boolean().meta({ description: "False when the person keeps `behaviour` off: nothing was stored." }),
});
export type EventsResponse = z.infer<typeof eventsResponse>;

const example = {
  id: "0b9f3c1e-8a7d-4e2f-9c1b-2d3e4f5a6b7c",
  kind: "dwell",
  targetType: "person",
  targetId: "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f",
  dwellMs: 4200,
  context: { surface: "carousel" },
  clientTime: "2026-11-29T10:15:00.000Z",
};

export const operations = {
  ingest: operation({
    method: "POST",
    path: "/api/v2/events",
    summary: "Report behavioural events",
    description:
      "Signed in (bearer token) or as a shop visitor (`anonId`, no token). Bad events are rejected one by one " +
      "by index and field while the good ones are kept; a retried event id is stored once; dwell over an hour " +
      "or a client time more than a day behind or five minutes ahead of the server is implausible; each " +
      "person and anonymous id may send a capped number of events per minute. With `behaviour` off nothing is stored.",
    auth: "optional",
    body: eventsBody,
    bodyExample: { events: [example] },
    responses: {
      202: {
        description: "The accepted events are stored.",
        schema: eventsResponse,
        example: { accepted: 1, duplicates: 0, rejected: [], stored: true },
      },
    },
  }),
  live: operation({
    method: "GET",
    path: "/api/v2/events/live",
    summary: "Your behaviour features, live (server-sent events)",
    description:
      "A text/event-stream of `features` events, each `{lastActions, dwellAvg7dMs, targetCounts}` (the caller's own " +
      "behaviour features): one at once, then one each time events the caller sent are stored, from any server " +
      "instance, within a second. A `: keepalive` comment every 25 s; `retry: 3000` asks the client to reconnect " +
      "after 3 s. Only the caller's own features are ever sent.",
    auth: "user",
    responses: { 200: { description: "The stream.", contentType: "text/event-stream" } },
    errors: ["live_unavailable"],
  }),
};
