import { getDb } from "@/lib/db";
import { authConfig } from "@/lib/auth/config";
import { handle, HttpError, json } from "@/lib/http/errors";
import { issueLocalToken, NoDemoUserError } from "@/lib/users/local-token";

export const dynamic = "force-dynamic";

/**
 * Embedded mode only: "continue as a demo user" on the sign-in page. The embedded database holds
 * nothing but seeded demo people and whatever the person at this laptop made, so handing out a
 * demo user's token needs no key. On a real database (DATABASE_URL), or wherever Supabase Auth
 * signs people in, the route does not exist.
 */
export const POST = handle(async () => {
  if (authConfig().mode !== "embedded") throw new HttpError(404, "not_found", "only in embedded mode");
  try {
    return json(await issueLocalToken(await getDb(), { mode: "demo" }));
  } catch (err) {
    if (err instanceof NoDemoUserError) throw new HttpError(409, "no_demo_user", err.message);
    throw err;
  }
});
