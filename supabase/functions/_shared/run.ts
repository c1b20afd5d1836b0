// Shared by the Edge Functions: the same lib/ code the app and the job worker run, behind the
// same shared-secret check as the cron routes, on the project's database.
import { z } from "zod";
import { openPostgres } from "../../../lib/db/postgres.ts";
import type { Db } from "../../../lib/db/types.ts";
import { handle, HttpError } from "../../../lib/http/errors.ts";
import { readJson } from "../../../lib/http/body.ts";
import { requireCronSecret } from "../../../lib/auth/cron-secret.ts";

export const userRequest = z.object({ userId: z.uuid() });

/** Supabase gives Edge Functions SUPABASE_DB_URL; elsewhere (tests) DATABASE_URL. */
function databaseUrl(): string {
  const url = Deno.env.get("SUPABASE_DB_URL") ?? Deno.env.get("DATABASE_URL");
  if (!url) throw new HttpError(503, "not_configured", "no database: set SUPABASE_DB_URL or DATABASE_URL");
  return url;
}

/**
 * A POST handler taking `{userId}`: checks `Authorization: Bearer $CRON_SECRET`, opens one
 * connection for the call, runs `work`, answers its result as JSON. Errors become JSON 4xx/5xx.
 */
export function userFunction(
  work: (db: Db, userId: string) => Promise<unknown>,
): (request: Request) => Promise<Response> {
  return handle(async (request: Request) => {
    if (request.method !== "POST") throw new HttpError(405, "method_not_allowed", "POST a JSON body {userId}");
    requireCronSecret(request, Deno.env.get("CRON_SECRET"));
    const { userId } = userRequest.parse(await readJson(request));
    const db = openPostgres(databaseUrl(), { max: 1 });
    try {
      return Response.json(await work(db, userId));
    } finally {
      await db.close();
    }
  });
}
