import { z } from "zod";

/** GET /api/auth/config: how the pages sign people in on this server (see lib/auth/config.ts). */
export const authConfigResponse = z.object({
  mode: z.enum(["embedded", "supabase", "none"]),
  supabaseUrl: z.url({ protocol: /^https?$/ }).nullable(),
  anonKey: z.string().min(1).nullable(),
});
export type AuthConfigResponse = z.infer<typeof authConfigResponse>;
