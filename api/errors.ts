import { z } from "zod";

/**
 * Every error code the API answers with, its HTTP status and what it means. Error bodies are
 * always `{error: {code, message, field?, issues?}}`; a test keeps this list complete (every code
 * thrown under lib/ and app/ is listed here with the same status).
 */
export const errorCodes = {
  invalid_input: {
    status: 400,
    description: "A path, query or body field fails the contract; `field` names the first, `issues` lists all.",
  },
  invalid_json: { status: 400, description: "The body is not valid JSON." },
  invalid_text: { status: 400, description: "A string holds a NUL character or broken unicode; `field` names it." },
  invalid_state: { status: 400, description: "Spotify's callback carried an unknown, used or expired state." },
  invalid_code: { status: 400, description: "Spotify refused the authorization code: connect again." },
  unauthorized: {
    status: 401,
    description: "Missing, malformed, expired or forged access token (cron routes: wrong or missing CRON_SECRET).",
  },
  forbidden: { status: 403, description: "Authenticated, but without the role or local key the route needs." },
  not_found: { status: 404, description: "No such resource, or a route that does not exist in this mode." },
  unknown_viewer: { status: 404, description: "The token is valid but the account has no profile." },
  media_not_found: { status: 404, description: "No such title in the catalogue." },
  favorite_not_found: { status: 404, description: "The title is not among the caller's favorites." },
  account_conflict: { status: 409, description: "Another account here already uses this email address." },
  no_demo_user: { status: 409, description: "No seeded demo user yet (embedded mode): run npm run seed." },
  already_reported: {
    status: 409,
    description: "You already have an open report about this person; a moderator will look at it.",
  },
  report_resolved: { status: 409, description: "A moderator already resolved this report." },
  no_pending_request: { status: 409, description: "There is no connection request from this user to accept." },
  room_closed: { status: 409, description: "The room is closed: nobody can join it or be invited any more." },
  payload_too_large: { status: 413, description: "The JSON body is over 64 kB." },
  file_too_large: { status: 413, description: "The uploaded file is over 10 MB." },
  unsupported_media_type: {
    status: 415,
    description: "Wrong Content-Type: JSON bodies need application/json, uploads multipart/form-data.",
  },
  unsupported_file: { status: 415, description: "The uploaded file is neither a CSV nor a ZIP export." },
  invalid_file: { status: 422, description: "The export could not be read (damaged ZIP, bad CSV, missing columns)." },
  rate_limited: { status: 429, description: "Too many requests per address or per user: see Retry-After." },
  internal: { status: 500, description: "Our fault; the message carries a reference for the logs." },
  busy: { status: 503, description: "The database is contended: retry after Retry-After seconds." },
  database_unavailable: {
    status: 503,
    description:
      "The database is away, restarting or did not answer within the statement timeout: retry after Retry-After seconds.",
  },
  service_unavailable: {
    status: 503,
    description:
      "An external service this request needs (e.g. Spotify's token endpoint) is down, slow or failing fast behind its circuit breaker: retry after Retry-After seconds.",
  },
  not_configured: { status: 503, description: "The feature needs server configuration it lacks (e.g. Spotify)." },
  no_recommendations: {
    status: 503,
    description: "No recommendation path can answer: the catalogue has no available product.",
  },
  discovery_unavailable: { status: 503, description: "Discovery is temporarily unavailable; try again shortly." },
  live_unavailable: {
    status: 503,
    description: "The live channel needs a database connection that can LISTEN (not Supabase's transaction pooler).",
  },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** The body of every error answer (health's 503 has its own shape: see health.ts). */
export const errorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: "One of the documented error codes." }),
    message: z.string().meta({ description: "For people: what went wrong and what to do." }),
    field: z.string().nullish().meta({ description: "The input field at fault, when there is one." }),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;
