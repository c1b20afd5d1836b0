import { z } from "zod";
import { authModes } from "@/lib/auth/config";
import { operation } from "./operation";

/** GET /api/auth/config: how the pages sign people in on this server (see lib/auth/config.ts). */
export const authConfigResponse = z.object({
  mode: z.enum(authModes),
  supabaseUrl: z.url({ protocol: /^https?$/ }).nullable(),
  anonKey: z.string().min(1).nullable(),
});
export type AuthConfigResponse = z.infer<typeof authConfigResponse>;

export const operations = {
  authConfig: operation({
    method: "GET",
    path: "/api/auth/config",
    summary: "How this server signs people in",
    description:
      "The mode, and in supabase mode the project URL and anon key (public by design: every Supabase web app ships them to the browser).",
    auth: "none",
    responses: {
      200: {
        description: "The sign-in configuration.",
        schema: authConfigResponse,
        example: {
          mode: "supabase",
          supabaseUrl: "https://abcdefghij.supabase.co",
          anonKey: "eyJhbGciOiJIUzI1NiJ9.anon",
        },
      },
    },
  }),
};
