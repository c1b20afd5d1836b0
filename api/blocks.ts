import { z } from "zod";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/blocks: blocked people are never suggested, in either direction. */

export const blockBody = z.object({ userId: z.uuid() });
export const blockParams = z.object({ userId: z.uuid() });
export const blockResponse = z.object({ userId: z.uuid(), blocked: z.boolean() });
export type BlockResponse = z.infer<typeof blockResponse>;

const someone = "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f";

export const operations = {
  block: operation({
    method: "POST",
    path: "/api/v2/blocks",
    summary: "Block a person",
    auth: "user",
    body: blockBody,
    bodyExample: { userId: someone },
    responses: {
      201: { description: "Blocked.", schema: blockResponse, example: { userId: someone, blocked: true } },
    },
    errors: ["not_found"],
  }),
  unblock: operation({
    method: "DELETE",
    path: "/api/v2/blocks/{userId}",
    summary: "Unblock a person",
    auth: "user",
    params: blockParams,
    responses: {
      200: {
        description: "Not blocked (any more).",
        schema: blockResponse,
        example: { userId: someone, blocked: false },
      },
    },
  }),
};
