import type { AuthConfigResponse } from "@/api/auth";
import { authConfig } from "@/lib/auth/config";
import { handle, json } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

/**
 * What the browser needs to sign in: the mode, and in supabase mode the project URL and anon key
 * (public by design: every Supabase web app ships them to the browser). No input to parse.
 */
export const GET = handle(async () => {
  const body: AuthConfigResponse = authConfig();
  return json(body);
});
