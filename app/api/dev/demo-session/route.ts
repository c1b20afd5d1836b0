import { getDb } from "@/lib/db";
import { databaseUrl } from "@/lib/db/config";
import { handle, HttpError, json } from "@/lib/http/errors";
import { issueLocalToken, NoDemoUserError } from "@/lib/users/local-token";

export const dynamic = "force-dynamic";

/**
 * Embedded mode only: "continue as a demo user" on the sign-in page. The embedded database holds
 * nothing but seeded demo people and whatever the person at this laptop made, so handing out a
 * demo user's token needs no key. On a real database (DATABASE_URL) the route does not exist.
 */
export const POST = handle(async () => {
  if (databaseUrl()) throw new HttpError(404, "not_found", "not available on a real database");
  try {
    return json(await issueLocalToken(await getDb(), { mode: "demo" }));
  } catch (err) {
    if (err instanceof NoDemoUserError) throw new HttpError(409, "no_demo_user", err.message);
    throw err;
  }
});
