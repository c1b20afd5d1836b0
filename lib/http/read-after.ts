import { z } from "zod";
import { HttpError } from "./errors";

/**
 * Read-your-own-writes across instances. After a write, the answer carries the primary's WAL
 * position (a response header, and a short-lived cookie for the browser); a later read that
 * brings it back (this header, or the cookie) reads on the replica only once the replica has
 * replayed that far, else on the primary (lib/runtime/database.ts getReadDb, lib/db/read-after.ts).
 * The per-process memory of recent writers (lib/db/recent-writes.ts) covers the same process
 * without the round trip; this covers the others.
 */
export const READ_AFTER_HEADER = "x-mesh-read-after";
export const READ_AFTER_COOKIE = "mesh_read_after";

/** A pg_lsn as PostgreSQL prints it: two hexadecimal halves. */
const lsnSchema = z.string().regex(/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i);

/**
 * The position a request asks to read after: the header (a malformed one is a 400 naming it), else
 * the cookie (ours; a malformed one is ignored), else null.
 */
export function readAfterOf(request: Request): string | null {
  const header = request.headers.get(READ_AFTER_HEADER);
  if (header !== null) {
    const parsed = lsnSchema.safeParse(header.trim());
    if (!parsed.success)
      throw new HttpError(
        400,
        "invalid_input",
        `${READ_AFTER_HEADER}: expected a WAL position such as 0/16B3748`,
        READ_AFTER_HEADER,
      );
    return parsed.data;
  }
  const cookie = (request.headers.get("cookie") ?? "")
    .split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${READ_AFTER_COOKIE}=`));
  const value = cookie?.slice(READ_AFTER_COOKIE.length + 1);
  return value && lsnSchema.safeParse(value).success ? value : null;
}

/** The Set-Cookie value that carries the position for the browser, for `seconds`. */
export function readAfterCookie(lsn: string, seconds: number, secure: boolean): string {
  return `${READ_AFTER_COOKIE}=${lsn}; Max-Age=${seconds}; Path=/; SameSite=Lax; HttpOnly${secure ? "; Secure" : ""}`;
}
