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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "the body is not valid JSON", "(body)");
  }
  const depth = nestingDepth(value);
  if (depth > MAX_JSON_DEPTH) {
    throw new HttpError(400, "invalid_input", `(body): nested deeper than ${MAX_JSON_DEPTH} levels`, "(body)");
  }
  const bad = findUnstorableText(value, "");
  if (bad !== null) {
    throw new HttpError(
      400,
      "invalid_text",
      `${bad || "(body)"}: contains a NUL character or broken unicode`,
      bad || "(body)",
    );
  }
  return value;
}

/** Our bodies are a few levels deep; a deeper one is refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 32;

/** How deep arrays and objects nest in a parsed JSON value (iterative: any depth is safe to measure). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * The path of the first string PostgreSQL cannot store as text (a NUL character) or that is not
 * well-formed unicode (a lone surrogate), or null. No legitimate client sends either; rejecting
 * them at the edge turns what would be a database error into a 400 naming the field.
 */
export function findUnstorableText(value: unknown, path: string): string | null {
  if (typeof value === "string") return value.includes("\u0000") || !value.isWellFormed() ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findUnstorableText(v, path ? `${path}.${i}` : String(i));
      if (found !== null) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const found = findUnstorableText(k, path) ?? findUnstorableText(v, path ? `${path}.${k}` : k);
      if (found !== null) return found;
    }
  }
  return null;
}
