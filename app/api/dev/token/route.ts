import { timingSafeEqual } from "node:crypto";
import { getDb } from "@/lib/db";
import { databaseUrl } from "@/lib/db/config";
import { handle, HttpError, json } from "@/lib/http/errors";
import { localToolKey } from "@/lib/local-server";
import { issueLocalToken, localTokenRequest, NoDemoUserError } from "@/lib/users/local-token";

export const dynamic = "force-dynamic";

/**
 * Embedded mode only: lets `npm run token` issue tokens while this server owns the PGlite data
 * directory. Requires the local tool key, which only a reader of the data directory can derive.
 */
export const POST = handle(async (request: Request) => {
  if (databaseUrl()) throw new HttpError(404, "not_found", "not available on a real database");
  const given = Buffer.from(request.headers.get("x-mesh-local-key") ?? "");
  const expected = Buffer.from(localToolKey());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(403, "forbidden", "x-mesh-local-key is missing or wrong");
  }
  const body = localTokenRequest.parse(await request.json().catch(() => ({})));
  try {
    return json(await issueLocalToken(await getDb(), body));
  } catch (err) {
    if (err instanceof NoDemoUserError) throw new HttpError(409, "no_demo_user", err.message);
    throw err;
  }
});
