/**
 * Opaque pagination cursors: a JSON value as unpadded base64url of its UTF-8 text (the bytes
 * Node's Buffer writes as "base64url"). No Node APIs, so the browser client can read them too.
 */
export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The JSON value a cursor holds; throws on anything that is not one. */
export function decodeCursor(cursor: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) throw new Error("not a base64url cursor");
  const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
}

/** The JSON value a cursor holds, or undefined when it is not one. */
export function readCursor(cursor: string): unknown {
  try {
    return decodeCursor(cursor);
  } catch {
    return undefined;
  }
}
