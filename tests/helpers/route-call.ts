/** A route handler as route files export it. */
export type RouteHandler = (req?: Request, c?: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler as a client would (JSON body, bearer token when given); status and parsed body. */
export async function callRoute(
  handler: RouteHandler,
  token: string | null,
  method: string,
  body?: unknown,
  params: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await handler(
    new Request("http://localhost/x", {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
