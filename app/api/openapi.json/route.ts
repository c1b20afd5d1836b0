import { operations } from "@/api/document";
import { openApiDocument } from "@/api/openapi";
import { route } from "@/lib/route";
import { APP_VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

let document: ReturnType<typeof openApiDocument> | undefined;

export const GET = route(operations.openapi, () => Response.json((document ??= openApiDocument(APP_VERSION))));
