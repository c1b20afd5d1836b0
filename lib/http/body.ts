import { HttpError } from "./errors";

/** Default limit for JSON bodies: our requests are small; anything larger is a mistake or abuse. */
export const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads a JSON body: 415 for another content type, 413 past the size limit, 400 for malformed
 * JSON. The caller parses the value with its zod schema.
 */
export async function readJson(request: Request, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "send the body as application/json", "content-type");
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw new HttpError(413, "payload_too_large", `body over ${maxBytes} bytes`);
  const text = await request.text();
  if (new TextEncoder().encode(text).length > maxBytes) {
    throw new HttpError(413, "payload_too_large", `body over ${maxBytes} bytes`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "the body is not valid JSON", "(body)");
  }
}
