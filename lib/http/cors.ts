/** Origins allowed to call the API from a browser: MESH_ALLOWED_ORIGINS, comma-separated. */
export function allowedOrigins(env: Record<string, string | undefined> = process.env): Set<string> {
  return new Set(
    (env.MESH_ALLOWED_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim().replace(/\/+$/, ""))
      .filter(Boolean),
  );
}

/** CORS response headers for an allowed origin; none for others (the browser then blocks it). */
export function corsHeaders(origin: string | null, allowed: Set<string>): Record<string, string> {
  if (!origin || !allowed.has(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
    // x-mesh-read-after: a write's WAL position, sent back to read it on any instance (lib/db/read-after.ts).
    "access-control-allow-headers": "authorization, content-type, x-mesh-read-after",
    "access-control-expose-headers": "x-mesh-read-after, retry-after",
    "access-control-max-age": "600",
    vary: "Origin",
  };
}
