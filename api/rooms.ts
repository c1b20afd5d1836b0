import { z } from "zod";
import { locales } from "@/lib/i18n/locales";
import { roomVisibilities } from "@/lib/rooms/visibility";
import { operation } from "./operation";

/** The HTTP contract of live rooms: /api/v2/rooms/* and the room suggestions under /api/v2/discovery/rooms. */

const tag = z.string().trim().min(1).max(40);
export const createRoomBody = z.object({
  title: z.string().trim().min(1).max(120),
  tags: z.array(tag).max(10).default([]),
  language: z.enum(locales).default("en"),
  visibility: z.enum(roomVisibilities).default("public"),
});
export type CreateRoomBody = z.infer<typeof createRoomBody>;

export const roomParams = z.object({ id: z.uuid() });
export const inviteBody = z.object({ userId: z.uuid() });
const locale = z
  .enum(locales)
  .meta({ description: "Language of the reasons; default Accept-Language, then the profile." });
export const roomsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  locale: locale.optional(),
});
export const inviteQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  locale: locale.optional(),
});

const person = z.object({ userId: z.uuid(), displayName: z.string() });
export const roomDetail = z.object({
  id: z.uuid(),
  title: z.string(),
  tags: z.array(z.string()),
  language: z.enum(locales),
  visibility: z.enum(roomVisibilities),
  open: z.boolean(),
  host: person,
  /** People inside now, longest-present first. */
  attendees: z.array(person),
  /** Whether the caller is inside now. */
  inside: z.boolean(),
  isHost: z.boolean(),
});
export type RoomDetail = z.infer<typeof roomDetail>;

export const suggestedRoom = z.object({
  id: z.uuid(),
  title: z.string(),
  tags: z.array(z.string()),
  /** People inside now. */
  attendees: z.number().int(),
  score: z.number(),
  reasons: z.array(z.string()),
});
export type SuggestedRoom = z.infer<typeof suggestedRoom>;
export const roomsResponse = z.object({ rooms: z.array(suggestedRoom) });

export const personToInvite = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  score: z.number(),
  reasons: z.array(z.string()),
});
export const inviteResponse = z.object({
  people: z.array(personToInvite),
  /** Where the people came from: this process's index of active people, or the database. */
  source: z.enum(["index", "database"]),
});
export type InviteResponse = z.infer<typeof inviteResponse>;

const roomId = "3b1f2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const someone = { userId: "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f", displayName: "Alex" };
const idOnly = z.object({ id: z.uuid() });
const stateResponse = z.object({ id: z.uuid(), inside: z.boolean() });

export const operations = {
  createRoom: operation({
    method: "POST",
    path: "/api/v2/rooms",
    summary: "Open a live room (the caller hosts it and is inside)",
    auth: "user",
    body: createRoomBody,
    bodyExample: { title: "Slow cinema night", tags: ["tarkovsky", "film"], language: "en", visibility: "public" },
    responses: { 201: { description: "Opened.", schema: idOnly, example: { id: roomId } } },
    errors: ["unknown_viewer"],
  }),
  room: operation({
    method: "GET",
    path: "/api/v2/rooms/{id}",
    summary: "A room with the people inside",
    description: "404 for a room the caller may not see (private and not invited, or a block either way).",
    auth: "user",
    params: roomParams,
    responses: {
      200: {
        description: "The room.",
        schema: roomDetail,
        example: {
          id: roomId,
          title: "Slow cinema night",
          tags: ["tarkovsky"],
          language: "en",
          visibility: "public",
          open: true,
          host: someone,
          attendees: [someone],
          inside: false,
          isHost: false,
        },
      },
    },
    errors: ["not_found"],
  }),
  closeRoom: operation({
    method: "POST",
    path: "/api/v2/rooms/{id}/close",
    summary: "Close a room (host only); everyone inside leaves",
    auth: "user",
    params: roomParams,
    responses: { 200: { description: "Closed.", schema: idOnly, example: { id: roomId } } },
    errors: ["not_found", "forbidden"],
  }),
  joinRoom: operation({
    method: "POST",
    path: "/api/v2/rooms/{id}/join",
    summary: "Join an open room the caller may see (records a join_room event when behaviour is on)",
    auth: "user",
    params: roomParams,
    responses: { 200: { description: "Inside.", schema: stateResponse, example: { id: roomId, inside: true } } },
    errors: ["not_found", "room_closed"],
  }),
  leaveRoom: operation({
    method: "POST",
    path: "/api/v2/rooms/{id}/leave",
    summary: "Leave a room",
    auth: "user",
    params: roomParams,
    responses: { 200: { description: "Outside.", schema: stateResponse, example: { id: roomId, inside: false } } },
    errors: ["not_found"],
  }),
  invite: operation({
    method: "POST",
    path: "/api/v2/rooms/{id}/invitations",
    summary: "Invite someone (host or someone inside); the room shows in their rooms list",
    auth: "user",
    params: roomParams,
    body: inviteBody,
    bodyExample: { userId: someone.userId },
    responses: {
      201: {
        description: "Invited.",
        schema: z.object({ id: z.uuid(), userId: z.uuid() }),
        example: { id: roomId, userId: someone.userId },
      },
    },
    errors: ["not_found", "forbidden", "room_closed"],
  }),
  suggestedRooms: operation({
    method: "GET",
    path: "/api/v2/discovery/rooms",
    summary: "Live rooms for the caller, ranked, with reasons",
    description:
      "Ranked by how close the room's taste is to the caller's, connections inside, size and freshness. Never a room whose host or anyone inside blocked the caller or was blocked by them; private rooms only to invitees.",
    auth: "user",
    query: roomsQuery,
    responses: {
      200: {
        description: "Rooms with 1-2 reasons each, in the asked language.",
        schema: roomsResponse,
        example: {
          rooms: [
            {
              id: roomId,
              title: "Slow cinema night",
              tags: ["tarkovsky"],
              attendees: 7,
              score: 0.71,
              reasons: ["3 people who love Stalker are here", "Just opened"],
            },
          ],
        },
      },
    },
  }),
  peopleToInvite: operation({
    method: "GET",
    path: "/api/v2/discovery/rooms/{id}/invite",
    summary: "Active people whose taste is close to the room's (host or someone inside only)",
    description:
      "People seen lately whose taste vector has cosine > 0.7 with the room's, not inside, not invited, not blocked either way with anyone inside, discoverable.",
    auth: "user",
    params: roomParams,
    query: inviteQuery,
    responses: {
      200: {
        description: "People to invite, closest first.",
        schema: inviteResponse,
        example: { people: [{ ...someone, score: 0.86, reasons: ["Close to this room's taste"] }], source: "index" },
      },
    },
    errors: ["not_found", "forbidden", "room_closed"],
  }),
};
