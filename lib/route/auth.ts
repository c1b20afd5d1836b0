import type { Operation } from "../../api/operation";
import { requireCronSecret } from "../auth/cron-secret";
import { requireLocalKey } from "../runtime/local-key";
import { AuthError, bearerToken, verifyAccessToken, type Viewer } from "../auth/tokens";
import { getDb } from "../runtime/database";
import { checkUserLimit } from "./api-guards";
import { HttpError } from "../http/errors";
import { ensureAccount } from "../users/account";

/**
 * Who is calling, as the operation's auth asks: null for routes without a viewer (none, cron,
 * local key, or "optional" without a token); otherwise the verified token's user, with an account
 * and a profile ready (the first request after a Supabase sign-up creates what is missing). The
 * user's rate limit is taken once the token verifies, before anything touches the database.
 */
export async function authenticate(op: Operation, request: Request): Promise<Viewer | null> {
  const { auth } = op;
  if (auth === "none") return null;
  if (auth === "cron") {
    requireCronSecret(request);
    return null;
  }
  if (auth === "local-key") {
    requireLocalKey(request);
    return null;
  }
  const token = bearerToken(request) ?? (op.tokenInQuery ? new URL(request.url).searchParams.get("token") : null);
  if (!token) {
    // An Authorization header that is not a bearer token is a failed sign-in, not an anonymous call.
    if (auth === "optional" && !request.headers.has("authorization")) return null;
    throw new AuthError(
      op.tokenInQuery
        ? "missing token (Authorization: Bearer <token> or ?token=)"
        : "missing bearer token (Authorization: Bearer <access token>)",
    );
  }
  const viewer = await verifyAccessToken(token);
  checkUserLimit(viewer.userId);
  // Roles come only from the verified token's app_metadata (see lib/auth/roles.ts).
  if (typeof auth === "object" && !viewer.roles.includes(auth.role)) {
    throw new HttpError(403, "forbidden", `this needs the ${auth.role} role`);
  }
  await ensureAccount(await getDb(), viewer);
  return viewer;
}
