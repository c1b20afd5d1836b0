import { timingSafeEqual } from "node:crypto";
import { HttpError } from "../http/errors";

/**
 * Vercel Cron sends `Authorization: Bearer $CRON_SECRET`. Without a configured secret every
 * call is refused: an open cron route would let anyone start batch work.
 */
export function requireCronSecret(request: Request, secret = process.env.CRON_SECRET): void {
  const header = request.headers.get("authorization") ?? "";
  const expected = Buffer.from(`Bearer ${secret ?? ""}`);
  const given = Buffer.from(header);
  if (!secret || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, "unauthorized", "cron calls need Authorization: Bearer $CRON_SECRET");
  }
}
