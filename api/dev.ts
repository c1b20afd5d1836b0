import { z } from "zod";
import { roles } from "@/lib/auth/roles";
import { operation } from "./operation";

/** The HTTP contract of /api/dev/*: the embedded mode's local sign-in, absent on a real deployment. */

export const localTokenRequest = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("user"), userId: z.uuid(), roles: z.array(z.enum(roles)).optional() }),
  z.object({ mode: z.literal("new-user"), roles: z.array(z.enum(roles)).optional() }),
  z.object({ mode: z.literal("demo"), roles: z.array(z.enum(roles)).optional() }),
]);
export type LocalTokenRequest = z.infer<typeof localTokenRequest>;

export const localTokenResponse = z.object({ userId: z.uuid(), token: z.string().min(1) });
export type LocalTokenResponse = z.infer<typeof localTokenResponse>;

const issued = {
  userId: "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f",
  token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig",
};

export const operations = {
  demoSession: operation({
    method: "POST",
    path: "/api/dev/demo-session",
    summary: "Continue as a demo user (embedded mode only)",
    description:
      "A 24-hour token for a seeded demo user. Only in embedded mode (no DATABASE_URL, no Supabase Auth): elsewhere 404.",
    auth: "none",
    responses: { 200: { description: "A token for a demo user.", schema: localTokenResponse, example: issued } },
    errors: ["not_found", "no_demo_user"],
  }),
  localToken: operation({
    method: "POST",
    path: "/api/dev/token",
    summary: "Issue a local token (npm run token, embedded mode only)",
    description:
      "Lets `npm run token` issue tokens (optionally with roles) while this server owns the PGlite data directory.",
    auth: "local-key",
    body: localTokenRequest,
    bodyExample: { mode: "user", userId: issued.userId, roles: ["moderator"] },
    responses: { 200: { description: "The token.", schema: localTokenResponse, example: issued } },
    errors: ["no_demo_user"],
  }),
};
