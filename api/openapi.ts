import { z } from "zod";
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from "zod-openapi";
import { errorBody, errorCodes, type ErrorCode } from "./errors";
import { allOperations } from "./index";
import { errorsOf, type Operation } from "./operation";

/**
 * The OpenAPI 3.1 document of the contract, generated from the operations tables (zod-openapi
 * turns the zod schemas into JSON Schema 2020-12 with zod's own toJSONSchema). Served at
 * GET /api/openapi.json and committed as docs/openapi.json (npm run openapi).
 */

const codes = Object.keys(errorCodes) as ErrorCode[];

/** The error body as documented: the same shape, with the code one of the listed codes. */
const documentedErrorBody = z.object({
  error: errorBody.shape.error.extend({
    code: z.enum(codes).meta({ description: "What went wrong, for programs (see the descriptions per status)." }),
  }),
});

const securitySchemes = {
  bearer: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "A Supabase access token (Authorization: Bearer). Roles travel in its app_metadata.mesh_roles; an operation that needs one lists it as this requirement's scope.",
  },
  tokenQuery: {
    type: "apiKey",
    in: "query",
    name: "token",
    description: "The same access token as ?token=, where a header cannot be sent (<img src>, link previews).",
  },
  cronSecret: {
    type: "http",
    scheme: "bearer",
    description: "Authorization: Bearer $CRON_SECRET, as Vercel Cron and pg_cron send it.",
  },
  localKey: {
    type: "apiKey",
    in: "header",
    name: "x-mesh-local-key",
    description: "Embedded mode only: the local tool key derived from the data directory's secret.",
  },
} as const;

function security(op: Operation): Record<string, string[]>[] {
  const { auth } = op;
  if (auth === "none") return [];
  if (auth === "cron") return [{ cronSecret: [] }];
  if (auth === "local-key") return [{ localKey: [] }];
  const scopes: string[] = typeof auth === "object" ? [auth.role] : [];
  const bearer: Record<string, string[]>[] = [{ bearer: scopes }];
  if (op.tokenInQuery) bearer.push({ tokenQuery: scopes });
  // "optional": an empty requirement means the token may be left out.
  return auth === "optional" ? [{}, ...bearer] : bearer;
}

function requestBody(op: Operation): ZodOpenApiOperationObject["requestBody"] {
  if (op.body) {
    return {
      required: true,
      content: {
        "application/json": {
          schema: op.body,
          ...(op.bodyExample === undefined ? {} : { example: op.bodyExample }),
        },
      },
    };
  }
  if (op.upload) {
    return {
      required: false,
      content: {
        "multipart/form-data": {
          schema: {
            type: "object",
            properties: {
              [op.upload.field]: { type: "string", contentMediaType: "application/octet-stream" },
            },
            required: [op.upload.field],
          },
          encoding: { [op.upload.field]: { contentType: "text/csv, application/zip" } },
        },
      },
      description: op.upload.description,
    };
  }
  return undefined;
}

const headerNotes: Partial<Record<number, Record<string, string>>> = {
  401: { "www-authenticate": 'Bearer realm="mesh" (bearer-token routes)' },
  429: { "retry-after": "Seconds until a request is allowed again." },
  503: { "retry-after": "Seconds to wait (codes busy, database_unavailable and service_unavailable)." },
};

function headers(notes: Record<string, string> | undefined): ZodOpenApiResponseObject["headers"] {
  if (!notes || Object.keys(notes).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(notes).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
  );
}

function responses(op: Operation): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const contentType = spec.contentType ?? (spec.schema ? "application/json" : undefined);
    out[status as `2${string}`] = {
      description: spec.description,
      headers: headers(spec.headers),
      content: contentType
        ? {
            [contentType]: {
              ...(spec.schema ? { schema: spec.schema } : {}),
              ...(spec.example === undefined ? {} : { example: spec.example }),
            },
          }
        : undefined,
    };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorsOf(op)) {
    const { status } = errorCodes[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const key = String(status) as `4${string}`;
    const listed = list.map((code) => `\`${code}\`: ${errorCodes[code].description}`).join("\n- ");
    const own = op.responses[status as keyof Operation["responses"]];
    // An operation's own answer at an error status (health's 503) or the error body.
    const schema = own?.schema ? z.union([own.schema, documentedErrorBody]) : documentedErrorBody;
    out[key] = {
      description: own ? `${own.description} Or an error:\n- ${listed}` : `Error:\n- ${listed}`,
      headers: headers({ ...headerNotes[status], ...own?.headers }),
      content: {
        "application/json": {
          schema,
          example: own?.example ?? { error: { code: list[0], message: errorCodes[list[0]].description } },
        },
      },
    };
  }
  return out;
}

/** The document, for this application version. */
export function openApiDocument(version: string): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  const sorted = allOperations().sort(
    (a, b) => a.operation.path.localeCompare(b.operation.path) || a.operation.method.localeCompare(b.operation.method),
  );
  for (const { id, resource, operation: op } of sorted) {
    const item = (paths[op.path] ??= {});
    item[op.method.toLowerCase() as "get" | "post" | "put" | "delete"] = {
      operationId: id,
      tags: [resource],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security: security(op),
      requestParams: {
        ...(op.params ? { path: op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
      },
      requestBody: requestBody(op),
      responses: responses(op),
    };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Mesh Discovery API",
      version,
      description:
        "Recommendations of people, from what they love and how they behave. Every error answers {error: {code, message, field?}}; the codes per status are listed with each operation.",
    },
    paths,
    components: { securitySchemes: { ...securitySchemes }, schemas: { ErrorBody: documentedErrorBody } },
  });
}
