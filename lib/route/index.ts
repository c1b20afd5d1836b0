import type { z } from "zod";
import type { Operation } from "../../api/operation";
import type { Viewer } from "../auth/tokens";
import { primaryPosition } from "../db/read-after";
import { READ_AFTER_HEADER, readAfterCookie, readAfterOf } from "../http/read-after";
import { noteWrite, readYourWritesMs } from "../db/recent-writes";
import { log } from "../log";
import { getDb, getReadDb, readReplicaInUse } from "../runtime/database";
import type { Db } from "../db/types";
import { checkAddressLimit, withApiHeaders } from "./api-guards";
import { readJson } from "../http/body";
import { errorResponse, json } from "../http/errors";
import { readUploadedFile, type UploadedFile } from "../http/upload";
import { authenticate } from "./auth";
import { toHttpError } from "./domain-errors";

/**
 * The route wrapper: a route file declares its operation (from api/) and a function of what the
 * request carries, already checked; this does the rest the same way for every route:
 * authentication by the operation's auth, parsing path params, query and JSON body with its
 * schemas (4xx JSON errors naming the field), the answer's status and cache-control, and every
 * thrown error as the JSON error body (domain errors through the one table in domain-errors.ts).
 * Every answer, refusals included, carries CORS and the CSP; the per-address limit comes before
 * authentication, the per-user limit inside it (lib/route/api-guards.ts; proxy.ts answers CORS
 * preflights).
 */

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

type ViewerOf<A> = A extends "user" | { role: string } ? Viewer : A extends "optional" ? Viewer | null : null;

export interface RouteContext<Op extends Operation> {
  request: Request;
  viewer: ViewerOf<Op["auth"]>;
  /** The process's database (opened on first use). */
  db: () => Promise<Db>;
  /**
   * For reads that may be slightly stale: the read replica (DATABASE_READ_URL) with writes on the
   * primary, or the primary alone (no replica, or this viewer wrote within the last seconds).
   */
  readDb: () => Promise<Db>;
  params: Parsed<Op["params"]>;
  query: Parsed<Op["query"]>;
  body: Parsed<Op["body"]>;
  /** The uploaded file of an operation with `upload`: read, size-capped and sniffed when asked. */
  file: () => Promise<UploadedFile>;
}

/** A JSON answer with a status or headers other than the operation's defaults. */
export class Reply<T> {
  constructor(
    readonly body: T,
    readonly status?: number,
    readonly headers: Record<string, string> = {},
  ) {}
}

export function reply<T>(body: T, init: { status?: number; headers?: Record<string, string> } = {}): Reply<T> {
  return new Reply(body, init.status, init.headers);
}

/** The JSON bodies the operation documents (what its schemas accept), by any of its statuses. */
type JsonOf<Op extends Operation> = {
  [S in keyof Op["responses"]]: Op["responses"][S] extends { schema: infer T extends z.ZodType } ? z.input<T> : never;
}[keyof Op["responses"]];

/** JSON operations answer a body (or a Reply); others build their Response (or none: 204). */
type Result<Op extends Operation> = [JsonOf<Op>] extends [never]
  ? Response | void
  : JsonOf<Op> | Reply<JsonOf<Op>> | Response;

export interface RouteHandler {
  (request?: Request, context?: { params: Promise<Record<string, string>> }): Promise<Response>;
  /** The operation this handler serves (the contract test matches route files to operations by it). */
  readonly operation: Operation;
}

export function route<const Op extends Operation>(
  op: Op,
  handler: (ctx: RouteContext<Op>) => Promise<Result<Op>> | Result<Op>,
): RouteHandler {
  const status = Math.min(...Object.keys(op.responses).map(Number));
  const serve = async (request = new Request("http://localhost/"), context?: { params: Promise<unknown> }) =>
    withApiHeaders(await guarded(request, context), request);
  const guarded = async (request: Request, context?: { params: Promise<unknown> }): Promise<Response> => {
    try {
      checkAddressLimit(request);
      const viewer = await authenticate(op, request);
      const params = op.params?.parse((await context?.params) ?? {});
      // Repeated query parameters: the last wins.
      const query = op.query?.parse(Object.fromEntries(new URL(request.url).searchParams));
      const body = op.body?.parse(await readJson(request));
      const viewerId = (viewer as Viewer | null)?.userId ?? null;
      const readAfter = readAfterOf(request);
      const readDb = () => getReadDb(viewerId, readAfter);
      const ctx = { request, viewer, db: getDb, readDb, params, query, body, file: () => readUploadedFile(request) };
      const response = answer(await handler(ctx as RouteContext<Op>), status);
      if (viewerId && request.method !== "GET" && request.method !== "HEAD" && response.ok) {
        // The viewer's next reads come from the primary for a while (read-your-own-writes), here
        // by this process's memory, on other instances by the WAL position the answer carries.
        noteWrite(viewerId);
        if (readReplicaInUse()) await markWritePosition(response, request);
      }
      return response;
    } catch (err) {
      return errorResponse(toHttpError(err));
    }
  };
  return Object.assign(serve, { operation: op });
}

function answer(result: unknown, status: number): Response {
  if (result instanceof Response) return result;
  if (result instanceof Reply) return json(result.body, result.status ?? status, result.headers);
  if (result === undefined && status === 204) return new Response(null, { status });
  return json(result, status);
}

/** Adds the primary's WAL position to a write's answer: a header for API clients, a cookie for the browser. */
async function markWritePosition(response: Response, request: Request): Promise<void> {
  try {
    const lsn = await primaryPosition(await getDb());
    response.headers.set(READ_AFTER_HEADER, lsn);
    const seconds = Math.ceil(readYourWritesMs() / 1000);
    response.headers.append("set-cookie", readAfterCookie(lsn, seconds, new URL(request.url).protocol === "https:"));
  } catch (err) {
    // The write is done; without the mark another instance may read it a moment late, no more.
    log.error("read-after: the primary's position is unknown", err);
  }
}
