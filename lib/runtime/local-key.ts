import { timingSafeEqual } from "node:crypto";
import { databaseUrl } from "../db/config";
import { HttpError } from "../http/errors";
import { localToolKey } from "./local-server";

/** The header local tools (`npm run token`) send the embedded server. */
export const LOCAL_KEY_HEADER = "x-mesh-local-key";

/**
 * Embedded mode only: the caller must show the local tool key, which only a reader of the data
 * directory can derive. On a real database (DATABASE_URL) such routes do not exist (404).
 */
export function requireLocalKey(request: Request): void {
  if (databaseUrl()) throw new HttpError(404, "not_found", "not available on a real database");
  const given = Buffer.from(request.headers.get(LOCAL_KEY_HEADER) ?? "");
  const expected = Buffer.from(localToolKey());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(403, "forbidden", `${LOCAL_KEY_HEADER} is missing or wrong`);
  }
}
