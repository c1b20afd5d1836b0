import type { z } from "zod";
import type { Role } from "@/lib/auth/roles";
import type { ErrorCode } from "./errors";

/**
 * Who may call an operation:
 * - "none": anyone;
 * - "optional": anyone; a bearer token, when sent, must verify and names the viewer;
 * - "user": a verified Supabase access token (Authorization: Bearer);
 * - { role }: a verified token whose app_metadata.mesh_roles holds the role (403 otherwise);
 * - "cron": Authorization: Bearer $CRON_SECRET (Vercel Cron, pg_cron);
 * - "local-key": embedded mode's local tool key (x-mesh-local-key), for `npm run token`.
 */
export type Auth = "none" | "optional" | "user" | { role: Role } | "cron" | "local-key";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** Statuses an operation documents itself: its successes, and an error answer of its own shape. */
export type DocumentedStatus = 200 | 201 | 202 | 204 | 303 | 503;

export interface ResponseSpec {
  description: string;
  /** The JSON body; omitted when the answer is not JSON of a fixed shape (no content, image, redirect). */
  schema?: z.ZodType;
  /** Defaults to application/json when there is a schema. */
  contentType?: string;
  /** Response headers worth knowing, by name: what they carry. */
  headers?: Record<string, string>;
  /** A body as the route answers it (checked against the schema by a test). */
  example?: unknown;
}

/** One route of the HTTP contract: what the route file serves and the OpenAPI document describes. */
export interface Operation {
  method: Method;
  /** The full served path, with {name} for each [name] segment of the route file's folder. */
  path: string;
  summary: string;
  description?: string;
  auth: Auth;
  /** Also accept the access token as ?token= (an <img src> or a link preview cannot send headers). */
  tokenInQuery?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON request body. */
  body?: z.ZodType;
  bodyExample?: unknown;
  /** A multipart/form-data upload instead of a JSON body. */
  upload?: { field: string; description: string };
  /** By status; the route answers the lowest status listed unless the handler says otherwise. */
  responses: Partial<Record<DocumentedStatus, ResponseSpec>>;
  /** Errors particular to this operation; those every route of its kind can answer are implied. */
  errors?: readonly ErrorCode[];
}

/** Declares an operation, keeping its literal types (method, auth, schemas) for the route and client. */
export function operation<const O extends Operation>(op: O): O {
  return op;
}

/** The errors an operation can answer: its own, and those its auth, inputs and the proxy imply. */
export function errorsOf(op: Operation): ErrorCode[] {
  const codes = new Set<ErrorCode>(op.errors ?? []);
  if (op.auth === "user" || op.auth === "optional" || typeof op.auth === "object") {
    codes.add("unauthorized").add("account_conflict");
  }
  if (typeof op.auth === "object") codes.add("forbidden");
  if (op.auth === "cron") codes.add("unauthorized");
  if (op.auth === "local-key") codes.add("not_found").add("forbidden");
  if (op.params || op.query || op.body) codes.add("invalid_input");
  if (op.body) codes.add("invalid_json").add("invalid_text").add("unsupported_media_type").add("payload_too_large");
  if (op.upload) codes.add("invalid_input").add("unsupported_media_type").add("file_too_large").add("unsupported_file");
  // Every API route: the proxy's rate limits, a contended or unreachable database, and our own failures.
  codes.add("rate_limited").add("busy").add("database_unavailable").add("internal");
  return [...codes];
}
